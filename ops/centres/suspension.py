"""活動中止: staff stop the centre's activity for a whole day or from an hour (heat alert, heavy rain, an
aftershock), and lift it again.

Suspending is one transaction under the centre's row lock (the lock every booking and check-in of the centre
takes: ops.volunteers.services.capacity.lock_centre): the row, one mail per booked volunteer of the day (and
the group's own address when a leader booked for a group), the audit entry and the event that the public
board, its feed and every slip page read (`centre.suspended`, with the centre's public state). A rolled-back
suspend queues nothing; two staff pressing at once give one row and one set of mails (the second finds the
first under the lock). Bookings are kept: lifting restores the day, and the volunteers are told it resumed.

What a suspension stops is asked elsewhere, of the model: check-in (ops.volunteers.rules.check_not_suspended),
dispatch (ops.dispatch.services.dispatching.day_refusal), booking a suspended whole day (ops.volunteers.
services.booking). Return reports go on: teams coming back must be able to say so.
"""
from __future__ import annotations

from datetime import date, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ops import audit, events
from ops.centres import public
from ops.centres.models import Centre, Suspension
from ops.centres.services import centre_state
from ops.messages.models import OutboundMail
from ops.volunteers.mailing import queue_volunteer_mail
from ops.volunteers.models import Booking
from ops.volunteers.services.capacity import lock_centre

DAYS_AHEAD = 14  # as far as bookings go (ops.volunteers.services.booking.BOOKING_DAYS_AHEAD)
NOTE_MAX = 200


class SuspensionError(Exception):
    """A refused suspend or lift; `message` is shown to staff as is, next to `field` when it names one."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def suspend(centre: Centre, *, day: date, starts_at: time | None, reason: str, note: str = "",
            by=None) -> Suspension:
    """Stop activity on `day` (today or a coming day), from `starts_at` or the whole day (None). Returns the
    suspension with `.mailed` (mails queued) and `.without_mail` (booked volunteers with no address: phone
    them)."""
    note = " ".join((note or "").split())
    if reason not in Suspension.Reason.values:
        raise SuspensionError(_("理由を選んでください。"), "reason")
    if len(note) > NOTE_MAX:
        raise SuspensionError(_("お知らせは%(n)d文字までです。") % {"n": NOTE_MAX}, "note")
    today = centre.today()
    if not isinstance(day, date) or not today <= day <= today + timedelta(days=DAYS_AHEAD):
        raise SuspensionError(_("日付は今日から%(n)d日先までで選んでください。") % {"n": DAYS_AHEAD}, "day")
    if starts_at is not None and not isinstance(starts_at, time):
        raise SuspensionError(_("時刻は 13:00 のように入力してください。"), "starts_at")
    if starts_at is not None and starts_at <= centre.activity_start:
        starts_at = None  # before the day's work begins: that is the whole day
    try:
        with transaction.atomic():
            locked = lock_centre(centre)
            if locked.status == Centre.Status.CLOSED:
                raise SuspensionError(_("このセンターは閉所しています。"))
            if Suspension.objects.on(locked, day) is not None:
                raise SuspensionError(_("この日はすでに活動中止になっています。変更するには一度解除してください。"), "day")
            suspension = Suspension(centre=locked, date=day, starts_at=starts_at, reason=reason, note=note,
                                    created_by=by if getattr(by, "is_authenticated", False) else None)
            with audit.operation("centre.suspended", by=by, centre=locked):
                suspension.save()
                audit.changed(suspension, created=True, fields=["date", "starts_at", "reason", "note"])
            suspension.mailed, suspension.without_mail = _tell_booked(locked, suspension, resumed=False)
            _announce(locked, "centre.suspended", suspension)
    except IntegrityError:  # the partial unique index: only reachable if a writer skipped the lock
        raise SuspensionError(_("この日はすでに活動中止になっています。変更するには一度解除してください。"), "day") from None
    return suspension


def lift(suspension: Suspension, *, by=None) -> Suspension:
    """Lift a suspension (解除): activity resumes; booked volunteers of a day not yet over are told."""
    with transaction.atomic():
        locked = lock_centre(suspension.centre)
        suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
        if suspension.lifted_at is not None:
            raise SuspensionError(_("この活動中止はすでに解除されています。"))
        suspension.centre = locked
        suspension.lifted_at = timezone.now()
        suspension.lifted_by = by if getattr(by, "is_authenticated", False) else None
        with audit.operation("centre.resumed", by=by, centre=locked):
            suspension.save(update_fields=["lifted_at", "lifted_by"])
            audit.changed(suspension, fields=["lifted_at"])
        suspension.mailed, suspension.without_mail = (
            _tell_booked(locked, suspension, resumed=True) if suspension.date >= locked.today() else (0, 0))
        _announce(locked, "centre.resumed", suspension)
    return suspension


def _announce(centre: Centre, kind: str, suspension: Suspension) -> None:
    """Both boards, the public feed and every slip page (which listens on the public board's socket)."""
    public.touch(centre, "suspensions")
    state = centre_state(centre)
    events.emit(centre, kind, {"centre": state, "suspension": suspension.public_state()},
                public={"centre": state, "suspension": suspension.public_state()})


def _tell_booked(centre: Centre, suspension: Suspension, *, resumed: bool) -> tuple[int, int]:
    """One mail per open booking of the day (a group's leader books for the group: the group's own address
    gets one too when it differs). Sent whatever the volunteer's wish for recruitment calls: this is about a
    day they booked. Returns (mails queued, bookings with no address)."""
    mailed = without = 0
    bookings = (Booking.objects.on(centre, suspension.date).select_related("volunteer", "volunteer__group")
                .order_by("pk"))
    with translation.override("ja"):  # the volunteers' mail is in the site's language, whoever pressed
        subject = (_("【%(centre)s】%(date)s の活動を再開します") if resumed
                   else _("【%(centre)s】%(date)s 活動中止のお知らせ")) % {
            "centre": centre.name, "date": _day(suspension.date)}
        for booking in bookings:
            volunteer = booking.volunteer
            addresses = [volunteer.email] if volunteer.email else []
            group = volunteer.group if booking.head_count > 1 and volunteer.group_id else None
            if group is not None and group.email and group.email.lower() not in [a.lower() for a in addresses]:
                addresses.append(group.email)
            if not addresses:
                without += 1
                continue
            body = _body(centre, suspension, booking, resumed=resumed)
            for address in addresses:
                queue_volunteer_mail(volunteer, kind=OutboundMail.Kind.SUSPENSION, subject=subject, body=body,
                                     centre=centre, about=booking, to=[address],
                                     triggered_by="resumed" if resumed else "suspension")
                mailed += 1
    return mailed, without


def _day(day: date) -> str:
    return date_format(day, "Y/m/d (D)")


def _body(centre: Centre, suspension: Suspension, booking: Booking, *, resumed: bool) -> str:
    names = {"name": booking.volunteer.group.name if booking.head_count > 1 and booking.volunteer.group_id
             else booking.volunteer.name, "centre": centre.name, "date": _day(suspension.date)}
    if resumed:
        text = _("%(name)s 様\n\n%(centre)s は %(date)s の活動中止を解除しました。ご予約どおり活動を行います。\n"
                 "受付時間: %(start)s〜\n") % {**names, "start": centre.activity_start.strftime("%H:%M")}
    else:
        text = _("%(name)s 様\n\n%(centre)s は %(date)s %(when)s の活動を中止します。\n理由: %(reason)s\n") % {
            **names, "when": suspension.when_label(), "reason": suspension.get_reason_display()}
        if suspension.note:
            text += _("センターより: %(note)s\n") % {"note": suspension.note}
        if suspension.whole_day:
            text += _("\nこの日はセンターにお越しにならないでください。ご予約はそのまま残ります。"
                      "活動を再開する場合はメールでお知らせします。\n")
        else:
            text += _("\n%(time)s以降の活動は行いません。活動中の方は作業を切り上げ、安全に気をつけてセンターへ戻ってください。"
                      "これからお越しの方は、%(time)s以降の受付はありません。\n") % {
                "time": suspension.starts_at.strftime("%H:%M")}
    if centre.phone:
        text += _("お問い合わせ: %(phone)s\n") % {"phone": centre.phone}
    return text
