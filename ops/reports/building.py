"""Building and sending reports: what the Celery tasks run, safe to run twice.

A build upserts the one row per (centre, date), recomputes the figures and replaces its files. Sending asks
the outbox for one mail (queue_mail) under the report's row lock: a second build, tick or redelivered task
finds that mail queued, sending, sent or unknown and asks for none. The outbox sends it with retries and its
own delivery state; once the server accepted it, `note_mail_sent` sets the report's sent_at / sent_to in the
same commit. A mail that failed for good lets the next build ask again; one whose answer was lost (unknown)
is only sent again by staff.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ops.centres.models import Centre, Disaster
from ops.drills import marking
from ops.messages import failures
from ops.messages.models import OutboundMail
from ops.messages.selectors import mails_about
from ops.messages.services import queue_mail
from ops.reports import chart, render, xlsx
from ops.reports.figures import as_date, daily_figures, trend
from ops.reports.models import DailyReport, ReportRecipient, RollupReport
from ops.reports.rollup import rollup_figures

log = logging.getLogger(__name__)
# A queued build not sent after this long may be queued again by the tick. A build whose worker was killed comes
# back from the broker first (BROKER_VISIBILITY_TIMEOUT, 5 min); this is for a build the broker lost (a Redis
# restart without persistence). A second build of the same day never mails twice (send_daily_report).
CLAIM_TIMEOUT = timedelta(minutes=10)
MIME = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


# --- files ------------------------------------------------------------------------------------------------------
def render_daily_files(centre: Centre, figures: dict, *, notes: str, plan_tomorrow: str) -> dict[str, bytes]:
    """figures → {"html", "pdf", "xlsx", "chart"} bytes, in the site's language (Japanese)."""
    rows = trend(centre, figures["date"])
    png = chart.render_chart(rows)
    html = render.render_daily_html(figures, notes=notes, plan_tomorrow=plan_tomorrow, chart_png=png)
    return {
        "html": html.encode("utf-8"),
        "pdf": render.render_pdf(html),
        "xlsx": xlsx.render_daily_xlsx(figures, rows, notes=notes, plan_tomorrow=plan_tomorrow),
        "chart": png,
    }


def _replace_files(row, stem: str, files: dict[str, bytes]) -> None:
    """Put the new files in place of the old ones under stable names (re-builds do not pile up copies)."""
    extensions = {"html": "html", "pdf": "pdf", "xlsx": "xlsx", "chart": "png"}
    for kind, content in files.items():
        field = getattr(row, kind)
        if field:
            field.delete(save=False)
        field.save(f"{stem}.{extensions[kind]}", ContentFile(content), save=False)


# --- the centre's daily report ---------------------------------------------------------------------------------
def build_daily_report(*, centre_id: int, day) -> DailyReport:
    """Compute and render the centre's report for `day`; upsert its row. Never sends."""
    day = as_date(day)
    centre = Centre.objects.get(pk=centre_id)
    with translation.override(settings.LANGUAGE_CODE):
        figures = daily_figures(centre, day)
        report, _ = DailyReport.objects.update_or_create(centre=centre, date=day, defaults={"figures": figures})
        files = render_daily_files(centre, figures, notes=report.notes, plan_tomorrow=report.plan_tomorrow)
    with transaction.atomic():
        report = DailyReport.objects.select_for_update().get(pk=report.pk)
        _replace_files(report, render.file_stem("nippo", centre.slug, day), files)
        report.figures = figures
        report.built_at = timezone.now()
        report.last_error = ""
        report.save()
    return report


def _attachments(row, stem: str) -> list[dict]:
    return [{"name": f"{stem}.{kind}", "path": getattr(row, kind).name, "mime": MIME[kind]} for kind in ("pdf", "xlsx")]


# The states of a report's mail that stop another one being asked for: on its way, arrived, or perhaps arrived.
BLOCKING = (OutboundMail.State.QUEUED, OutboundMail.State.SENDING, OutboundMail.State.SENT,
            OutboundMail.State.UNKNOWN)


def _mail_under_way(row, kind: str, triggered_by: str) -> bool:
    """A mail about the row that a new one would duplicate. Staff asking again may replace an unknown one
    (they decided it did not arrive); the system never does."""
    states = [s for s in BLOCKING if not (s == OutboundMail.State.UNKNOWN and triggered_by.startswith("staff"))]
    return mails_about(row, kind=kind).filter(state__in=states).exists()


def send_daily_report(*, report_id: int, triggered_by: str = "beat") -> bool:
    """Ask the outbox for the report's one mail to the centre's active recipients. True if it asked now."""
    with transaction.atomic():
        report = DailyReport.objects.select_for_update().select_related("centre").get(pk=report_id)
        to = list(ReportRecipient.objects.filter(centre=report.centre, active=True).values_list("email", flat=True))
        if report.sent_at or not to or not report.pdf:
            return False
        if _mail_under_way(report, OutboundMail.Kind.DAILY_REPORT, triggered_by):
            return False
        with translation.override(settings.LANGUAGE_CODE):
            subject = render.daily_subject(report.centre.name, report.date)
            body = render_to_string("reports/mail_daily.txt", {
                **render.daily_context(report.figures, notes=report.notes, plan_tomorrow=report.plan_tomorrow)})
        queue_mail(kind=OutboundMail.Kind.DAILY_REPORT, centre=report.centre, about=report, to=to,
                   subject=subject, body=body, triggered_by=triggered_by,
                   attachments=_attachments(report, marking.file_name(
                       render.file_stem("nippo", report.centre.slug, report.date), report.centre)))
    log.info("daily report %s/%s queued for %d recipients", report.centre_id, report.date, len(to))
    return True


# --- the disaster's roll-up ---------------------------------------------------------------------------------------
def build_rollup_report(*, disaster_id: int, day) -> RollupReport:
    day = as_date(day)
    disaster = Disaster.objects.get(pk=disaster_id)
    with translation.override(settings.LANGUAGE_CODE):
        figures = rollup_figures(disaster, day)
        html = render.render_rollup_html(figures)
        files = {"html": html.encode("utf-8"), "pdf": render.render_pdf(html), "xlsx": xlsx.render_rollup_xlsx(figures)}
    rollup, _ = RollupReport.objects.update_or_create(disaster=disaster, date=day, defaults={"figures": figures})
    with transaction.atomic():
        rollup = RollupReport.objects.select_for_update().get(pk=rollup.pk)
        _replace_files(rollup, render.file_stem("shuyaku", str(disaster.pk), day), files)
        rollup.built_at = timezone.now()
        rollup.last_error = ""
        rollup.save()
    return rollup


def send_rollup_report(*, rollup_id: int, triggered_by: str = "beat") -> bool:
    with transaction.atomic():
        rollup = RollupReport.objects.select_for_update().select_related("disaster").get(pk=rollup_id)
        to = list(ReportRecipient.objects.filter(disaster=rollup.disaster, centre__isnull=True, active=True)
                  .values_list("email", flat=True))
        if rollup.sent_at or not to or not rollup.pdf:
            return False
        if _mail_under_way(rollup, OutboundMail.Kind.ROLLUP_REPORT, triggered_by):
            return False
        with translation.override(settings.LANGUAGE_CODE):
            subject = render.rollup_subject(rollup.disaster.name, rollup.date)
            body = render_to_string("reports/mail_rollup.txt", {
                "r": rollup.figures, "day_label": render.format_day(rollup.date)})
        queue_mail(kind=OutboundMail.Kind.ROLLUP_REPORT, about=rollup, to=to, subject=subject, body=body,
                   triggered_by=triggered_by,
                   attachments=_attachments(rollup, render.file_stem("shuyaku", str(rollup.disaster_id),
                                                                     rollup.date)))
    return True


REPORT_MAILS = {OutboundMail.Kind.DAILY_REPORT: DailyReport, OutboundMail.Kind.ROLLUP_REPORT: RollupReport}


def note_mail_sent(sender, mail: OutboundMail, **kwargs) -> None:
    """ops.messages.signals.mail_sent: the report a mail carried is sent, in the commit that records the mail
    sent (so the report and its mail never disagree). The first mail to arrive sets it."""
    model = REPORT_MAILS.get(mail.kind)
    if model is None or not mail.about.startswith(f"{model._meta.label_lower}:"):
        return
    pk = mail.about.rsplit(":", 1)[1]
    model.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=mail.sent_at, sent_to=mail.to, last_error="")


def note_failure(model, pk: int, exc: BaseException) -> None:
    """Leave the reason on the row for the staff page, as a code it reads as words (BUILD_FAILURES, the outbox's
    failures); the exception's class and message are for the log."""
    code = "render_failed" if isinstance(exc, render.RenderError) else failures.code_for(exc)
    model.objects.filter(pk=pk).update(last_error=code)
    log.warning("%s %s failed (%s: %s)", model._meta.model_name, pk, code, type(exc).__name__)


# --- what the beat tick queues ---------------------------------------------------------------------------------------
def _claim(model, row_id: int, now: datetime) -> bool:
    """Mark the row queued unless another tick queued it recently (a conditional UPDATE: one winner)."""
    stale = now - CLAIM_TIMEOUT
    return bool(model.objects.filter(pk=row_id, sent_at__isnull=True)
                .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)).update(enqueued_at=now))


def _centre_day(centre: Centre, now: datetime) -> date | None:
    """The centre's date if its report time has passed there, else None."""
    local = centre.local(now)
    if local.time() < centre.report_time or (centre.opened_on and local.date() < centre.opened_on):
        return None
    return local.date()


def claim_due_reports(now: datetime) -> list[tuple[int, date]]:
    """(centre id, date) of each open centre whose report time has passed and whose report for that date is
    missing or unsent (and has somebody to go to once built), claimed so the next tick won't queue it again."""
    due = []
    with_recipients = set(ReportRecipient.objects.filter(active=True, centre__isnull=False)
                          .values_list("centre_id", flat=True))
    # A drill's centre too: its evening 日報 is part of the rehearsal, to its own recipients, marked 訓練
    # (ops.drills.marking); its figures are its own centre's, never in a real one's.
    for centre in Centre.objects.filter(status=Centre.Status.OPEN).order_by("id"):
        day = _centre_day(centre, now)
        if day is None:
            continue
        report, _ = DailyReport.objects.get_or_create(centre=centre, date=day)
        if report.sent_at or (report.built_at and centre.pk not in with_recipients):
            continue
        if _mail_under_way(report, OutboundMail.Kind.DAILY_REPORT, "beat"):  # its mail is the outbox's now
            continue
        if _claim(DailyReport, report.pk, now):
            due.append((centre.pk, day))
    return due


def claim_due_rollups(now: datetime) -> list[tuple[int, date]]:
    """A disaster's roll-up is due once every open centre of it has passed its report time."""
    due = []
    disasters = (Disaster.objects.filter(rollup_recipients__active=True, rollup_recipients__centre__isnull=True,
                                         centres__status=Centre.Status.OPEN).distinct().order_by("id"))
    for disaster in disasters:
        centres = list(disaster.centres.filter(status=Centre.Status.OPEN).order_by("id"))
        days = {_centre_day(c, now) for c in centres}
        if None in days:
            continue
        day = max(days)
        rollup, _ = RollupReport.objects.get_or_create(disaster=disaster, date=day)
        if rollup.sent_at or _mail_under_way(rollup, OutboundMail.Kind.ROLLUP_REPORT, "beat"):
            continue
        if _claim(RollupReport, rollup.pk, now):
            due.append((disaster.pk, day))
    return due

