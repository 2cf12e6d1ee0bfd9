"""Celery tasks of the daily report. The beat tick (every 300 s, CELERY_BEAT_SCHEDULE) queues the builds that
are due; each build is idempotent and retries with backoff on mail or render failures."""
import os
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from ops.reports import building
from ops.reports.models import DailyReport, RollupReport
from ops.reports.render import RenderError

# Transient failures: the SMTP server or a file system hiccup. A missing font (FontMissing) is not one.
RETRY_ON = (SMTPException, OSError, ConnectionError, TimeoutError, RenderError)
# The database away (a restart): retried too, with nothing noted on a row that cannot be written then.
DATABASE_AWAY = (OperationalError, InterfaceError)
# Seconds before the first retry (doubling, with jitter, up to TASK_RETRY_BACKOFF_MAX: below the broker's
# visibility timeout, see settings); tests set a short one. After the last retry the next beat tick past the
# claim timeout queues the report again.
RETRY_BACKOFF = int(os.environ.get("REPORT_RETRY_BACKOFF", "5"))
RETRY_OPTIONS = {"bind": True, "acks_late": True, "autoretry_for": RETRY_ON + DATABASE_AWAY,
                 "retry_backoff": RETRY_BACKOFF,
                 "retry_backoff_max": settings.TASK_RETRY_BACKOFF_MAX, "retry_jitter": True, "max_retries": 8}


@shared_task(name="ops.reports.tasks.report_tick")
def report_tick():
    """Queue every centre report and disaster roll-up whose time has come and that was not sent yet."""
    now = timezone.now()
    queued = []
    for centre_id, day in building.claim_due_reports(now):
        build_daily_report.delay(centre_id, day.isoformat())
        queued.append(("centre", centre_id, day.isoformat()))
    for disaster_id, day in building.claim_due_rollups(now):
        build_rollup_report.delay(disaster_id, day.isoformat())
        queued.append(("disaster", disaster_id, day.isoformat()))
    return queued


@shared_task(name="ops.reports.tasks.build_daily_report", **RETRY_OPTIONS)
def build_daily_report(self, centre_id: int, date_iso: str, triggered_by: str = "beat"):
    """Build (or rebuild) the centre's report for the date, then ask the outbox for its one mail unless one is
    under way or sent (the outbox sends it, with its own retries)."""
    report = None
    try:
        report = building.build_daily_report(centre_id=centre_id, day=date_iso)
        mail_queued = building.send_daily_report(report_id=report.pk, triggered_by=triggered_by)
    except RETRY_ON as exc:
        if report is not None:
            building.note_failure(DailyReport, report.pk, exc)
        raise
    return {"report": report.pk, "mail_queued": mail_queued}


@shared_task(name="ops.reports.tasks.build_rollup_report", **RETRY_OPTIONS)
def build_rollup_report(self, disaster_id: int, date_iso: str, triggered_by: str = "beat"):
    rollup = None
    try:
        rollup = building.build_rollup_report(disaster_id=disaster_id, day=date_iso)
        mail_queued = building.send_rollup_report(rollup_id=rollup.pk, triggered_by=triggered_by)
    except RETRY_ON as exc:
        if rollup is not None:
            building.note_failure(RollupReport, rollup.pk, exc)
        raise
    return {"rollup": rollup.pk, "mail_queued": mail_queued}
