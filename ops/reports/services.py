"""Staff's actions on the daily report: notes and tomorrow's plan, sending by hand, recipients.

Keyword-only arguments, validated, saved in one transaction; a ReportError carries the message staff see.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.centres.models import Centre
from ops.reports.figures import as_date
from ops.reports.models import DailyReport, ReportRecipient

NOTES_MAX = 4000


class ReportError(Exception):
    """A refusal with a message for the user."""


def save_notes(*, centre: Centre, day, notes: str, plan_tomorrow: str) -> DailyReport:
    """特記事項 and 明日の予定 for the day's report; the next build (or "send now") puts them in the files."""
    notes, plan_tomorrow = (notes or "").strip(), (plan_tomorrow or "").strip()
    if len(notes) > NOTES_MAX or len(plan_tomorrow) > NOTES_MAX:
        raise ReportError(_("%(n)d文字以内で入力してください。") % {"n": NOTES_MAX})
    with transaction.atomic():
        report, _created = DailyReport.objects.select_for_update().get_or_create(centre=centre, date=as_date(day))
        if report.sent_at:
            raise ReportError(_("この日報は送信済みのため、特記事項は変更できません。"))
        report.notes, report.plan_tomorrow = notes, plan_tomorrow
        report.save(update_fields=["notes", "plan_tomorrow"])
    return report


def request_build(*, centre: Centre, day, by=None) -> DailyReport:
    """"Send now": queue the build-and-send task for the day. A sent report is rebuilt but never re-sent."""
    from ops.reports.tasks import build_daily_report

    day = as_date(day)
    with transaction.atomic():
        report, _created = DailyReport.objects.select_for_update().get_or_create(centre=centre, date=day)
        if not report.sent_at and not centre.recipients.filter(active=True).exists():
            raise ReportError(_("送信先が登録されていません。先に送信先を追加してください。"))
        report.enqueued_at = timezone.now()
        report.last_error = ""
        report.save(update_fields=["enqueued_at", "last_error"])
    who = f"staff:{by.get_username()}" if by is not None and by.is_authenticated else "staff"
    try:
        build_daily_report.delay(centre.pk, day.isoformat(), who)
    except Exception as exc:  # broker unreachable: say so rather than pretend it is queued
        DailyReport.objects.filter(pk=report.pk).update(enqueued_at=None, last_error="not_queued")
        raise ReportError(_("送信処理を開始できませんでした。しばらくしてから再度お試しください。")) from exc
    return report


def _clean_recipient(name: str, email: str) -> tuple[str, str]:
    name, email = (name or "").strip(), (email or "").strip().lower()
    if not name or len(name) > 80:
        raise ReportError(_("宛名を80文字以内で入力してください。"))
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ReportError(_("メールアドレスの形式が正しくありません。")) from exc
    return name, email


def add_recipient(*, centre: Centre | None = None, disaster=None, name: str, email: str) -> ReportRecipient:
    """A centre's recipient, or (disaster given, no centre) a recipient of the disaster's roll-up."""
    if (centre is None) == (disaster is None):
        raise ReportError(_("送信先の種類が正しくありません。"))
    name, email = _clean_recipient(name, email)
    with transaction.atomic():
        scope = ReportRecipient.objects.filter(centre=centre) if centre else ReportRecipient.objects.filter(
            disaster=disaster, centre__isnull=True)
        if scope.filter(email=email).exists():
            raise ReportError(_("このメールアドレスは登録済みです。"))
        return ReportRecipient.objects.create(centre=centre, disaster=None if centre else disaster, name=name,
                                              email=email)


def recipient_of(*, centre: Centre, pk: int, rollup: bool = False) -> ReportRecipient:
    """The centre's recipient (or its disaster's roll-up recipient); others' are not found."""
    qs = (ReportRecipient.objects.filter(disaster=centre.disaster, centre__isnull=True) if rollup
          else ReportRecipient.objects.filter(centre=centre))
    recipient = qs.filter(pk=pk).first()
    if recipient is None:
        raise ReportError(_("送信先が見つかりません。"))
    return recipient


def set_recipient_active(*, recipient: ReportRecipient, active: bool) -> ReportRecipient:
    recipient.active = bool(active)
    recipient.save(update_fields=["active"])
    return recipient


def remove_recipient(*, recipient: ReportRecipient) -> None:
    recipient.delete()
