"""The broker's timings agree with the tasks': a task a dead worker held comes back within minutes, no retry
waits in a worker past the time the broker would hand it to another, and the report's claim outlasts both."""
from datetime import timedelta

from django.conf import settings

from dvc.celery import app
from ops.reports.building import CLAIM_TIMEOUT


def test_an_unacknowledged_task_comes_back_within_minutes_not_an_hour():
    options = app.conf.broker_transport_options
    assert options["visibility_timeout"] == settings.BROKER_VISIBILITY_TIMEOUT <= 600
    # each live worker looks for such tasks at least every visibility timeout / 5 (kombu's default: 100 s)
    assert options["unacked_restore_throttle"] == 1
    assert options["unacked_restore_interval"] <= settings.BROKER_VISIBILITY_TIMEOUT / 5


def test_no_retry_waits_past_the_visibility_timeout():
    app.loader.import_default_modules()
    retrying = {name: task for name, task in app.tasks.items() if getattr(task, "autoretry_for", ())}
    assert {"ops.reports.tasks.build_daily_report", "ops.messages.tasks.deliver_mail"} <= set(retrying)
    for name, task in retrying.items():
        assert task.retry_backoff_max < settings.BROKER_VISIBILITY_TIMEOUT, name


def test_the_report_claim_outlasts_the_broker_s_hand_back():
    assert timedelta(seconds=settings.BROKER_VISIBILITY_TIMEOUT) < CLAIM_TIMEOUT <= timedelta(minutes=15)
