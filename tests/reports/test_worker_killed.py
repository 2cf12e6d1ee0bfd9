"""A worker killed outright (SIGKILL to the whole worker, not a pool child) in the middle of the 日報: the task it
held unacknowledged goes back to the queue after the broker's visibility timeout, the next worker sends the
report, and the city gets it exactly once. With kombu's default (an hour) it went out an hour late.

The workers use a Redis of their own (no other worker may take the task) and a 10 s visibility timeout."""
import os
import signal
import time as clock
from datetime import time, timedelta

import pytest
from celery import Celery

from harness import Stack, free_port
from ops.messages.models import OutboundMail
from ops.reports.models import DailyReport, ReportRecipient
from tests import factories
from tests.conftest import _database_url
from tests.smtp import black_hole, smtp_server, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

VISIBILITY = 10


@pytest.fixture
def own_broker():
    stack = Stack(postgres=False, redis=True).start()
    producer = Celery(broker=stack.redis_url, set_as_current=False)  # the app's tasks keep their broker
    try:
        yield stack, producer
    finally:
        producer.close()
        stack.stop()


def test_a_killed_worker_s_report_is_sent_once_by_the_next_worker(own_broker):
    stack, producer = own_broker
    centre = factories.make_centre(report_time=time(0, 0))
    centre.opened_on = centre.today() - timedelta(days=2)
    centre.save()
    factories.make_attendance(centre, date=centre.today())
    ReportRecipient.objects.create(centre=centre, name="市 防災課", email="bousai@example.jp")
    today = centre.today()
    port = free_port()
    env = stack.env(DATABASE_URL=_database_url(), EMAIL_URL=f"smtp://127.0.0.1:{port}",
                    BROKER_VISIBILITY_TIMEOUT=str(VISIBILITY), REPORT_RETRY_BACKOFF="1", MAIL_RETRY_BACKOFF="1")

    hole = black_hole(port)  # the mail server stalls: the task is caught mid-send, the report row locked
    try:
        stack.start_worker(env=env, name="first")
        producer.send_task("ops.reports.tasks.build_daily_report", args=[centre.pk, today.isoformat()])
        hole.settimeout(90)
        stalled, _ = hole.accept()  # the worker has built the report and is talking to the mail server
        os.killpg(stack.procs["first"].pid, signal.SIGKILL)  # the main process and its pool child at once
        killed_at = clock.monotonic()
        stack.stop_process("first")
        stalled.close()
    finally:
        hole.close()
    assert DailyReport.objects.get(centre=centre, date=today).sent_at is None

    controller, inbox = smtp_server(port)
    try:
        stack.start_worker(env=env, name="second")
        arrived = inbox.wait(1, timeout=90)
        took = clock.monotonic() - killed_at
        assert len(arrived) == 1, stack.log_tail("second", lines=80)
        clock.sleep(VISIBILITY + 5)  # a second delivery of the same task would have come by now
        assert len(inbox.envelopes) == 1
    finally:
        controller.stop()
    print(f"\nworker killed mid-report: the 日報 arrived {took:.1f} s later (visibility timeout {VISIBILITY} s)")
    assert took < VISIBILITY + 30, f"{took:.0f} s after the kill"
    report = DailyReport.objects.get(centre=centre, date=today)
    assert report.sent_at is not None and report.sent_to == ["bousai@example.jp"]
    assert wait_until(lambda: OutboundMail.objects.filter(kind=OutboundMail.Kind.DAILY_REPORT,
                                                          state=OutboundMail.State.SENT).count() == 1, timeout=5)
