"""Closing the centre (閉所) and, when it was a mistake, reopening it.

Closing is one transaction under the centre's row lock (the lock every booking and check-in of the centre
takes: ops.volunteers.services.capacity), so a booking or check-in either committed before it, and is
listed and cancelled here, or waits and then finds the centre closed. After it: no registration, booking or
check-in (ops.volunteers.rules.check_open), future bookings cancelled with a mail to each volunteer, staff
access reduced to what handover and retention need (ops.permissions.AFTER_CLOSING), the retention clock
counting from `closed_on` (Centre.erasure_due_on), and both boards told (`centre.closed`).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ops import audit, events
from ops.centres.models import Centre, Membership
from ops.centres.public import stamp
from ops.centres.services import centre_state
from ops.dispatch.models import EquipmentLoan, Team
from ops.dispatch.transitions import IN_FIELD
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail
from ops.needs.models import Need
from ops.needs.transitions import OPEN
from ops.volunteers.models import Booking
from ops.welfare.models import Case


class ClosingError(Exception):
    """A refused close or reopen; `message` is shown to the administrator as is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class StillOpen:
    """What is still open at the centre: the close page lists it and the handover exports carry it."""

    needs: QuerySet
    welfare: QuerySet
    bookings: QuerySet
    teams_out: QuerySet
    tools_out: QuerySet

    @property
    def bookings_without_mail(self) -> int:
        return self.bookings.filter(volunteer__email="").count()


def still_open(centre: Centre) -> StillOpen:
    today = centre.today()
    return StillOpen(
        needs=Need.objects.filter(centre=centre, status__in=OPEN).order_by("number"),
        welfare=Case.objects.open().filter(centre=centre).select_related("household").order_by("number"),
        bookings=Booking.objects.open().filter(centre=centre, date__gt=today).select_related("volunteer")
        .order_by("date", "pk"),
        teams_out=Team.objects.filter(centre=centre, status__in=IN_FIELD).order_by("date", "number"),
        tools_out=EquipmentLoan.objects.outstanding().filter(team__centre=centre).select_related("kind", "team")
        .order_by("kind__name", "pk"),
    )


def close_centre(centre: Centre, *, confirm_name: str, by) -> Centre:
    """Close the centre today. Refused while a team is in the field: its people are out and their return
    report and check-out must be recorded first (there is no override: reopening is the way back)."""
    if (confirm_name or "").strip() != centre.name:
        raise ClosingError(_("確認のため、センター名を正確に入力してください。"))
    with transaction.atomic():
        locked = Centre.objects.select_for_update().get(pk=centre.pk)
        if locked.status == Centre.Status.CLOSED:
            raise ClosingError(_("このセンターはすでに閉所しています。"))
        if Team.objects.filter(centre=locked, status__in=IN_FIELD).exists():
            raise ClosingError(_("活動中の班があります。全班の帰着報告を受けてから閉所してください。"))
        locked.status, locked.closed_on = Centre.Status.CLOSED, locked.today()
        stamp(locked, ["status"])  # the public information's "最終更新" (ops.centres.public)
        with audit.operation("centre.closed", by=by, centre=locked):
            locked.save(update_fields=["status", "closed_on", "public_changed"])
            audit.changed(locked, fields=["status", "closed_on"])
            freed = _cancel_future_bookings(locked)
        state = centre_state(locked)
        public = {"centre": state, **({"booked": freed} if freed else {})}  # the public board's places, per day
        events.emit(locked, "centre.closed", {"centre": state, "bookings_cancelled": len(freed)}, public=public)
        for user_id in set(Membership.objects.filter(centre=locked).values_list("user_id", flat=True)):
            events.access_changed(user_id)  # open staff boards re-check their access at once
    centre.status, centre.closed_on = locked.status, locked.closed_on
    return locked


def _cancel_future_bookings(centre: Centre) -> dict[str, int]:
    """Cancel bookings for days after today (today's are people already on their way) and tell each
    volunteer by mail; a volunteer without an address is counted on the close page beforehand. Returns the
    people freed per day as the public board's delta ({"2026-08-01": -3}: ops.volunteers.services.booking)."""
    now = timezone.now()
    bookings = list(Booking.objects.open().filter(centre=centre, date__gt=centre.today())
                    .select_related("volunteer").select_for_update(of=("self",)))
    freed: dict[str, int] = {}
    for booking in bookings:
        freed[booking.date.isoformat()] = freed.get(booking.date.isoformat(), 0) - booking.head_count
        booking.cancelled_at = now
        booking.save(update_fields=["cancelled_at"])
        audit.changed(booking, fields=["cancelled_at"], centre=centre)
        if booking.volunteer.email:
            with translation.override("ja"):  # volunteers' mail is in Japanese, whoever pressed the button
                queue_mail(kind=OutboundMail.Kind.BOOKING_CANCELLED, centre=centre, about=booking.volunteer,
                           to=[booking.volunteer.email], subject=_("【%(centre)s】閉所のため活動予約を取り消しました")
                           % {"centre": centre.name}, body=_cancel_body(booking, centre), triggered_by="closing")
    return freed


def _cancel_body(booking: Booking, centre: Centre) -> str:
    return _("%(name)s 様\n\n%(centre)s は閉所しました。%(date)s の活動予約は取り消しました。\n"
             "ご協力いただき、ありがとうございました。") % {
        "name": booking.volunteer.name, "centre": centre.name, "date": booking.date.strftime("%Y/%m/%d")}


def reopen_centre(centre: Centre, *, by) -> Centre:
    """Undo a close made by mistake: open again, closed_on cleared (so retention's clock stops). Bookings the
    close cancelled stay cancelled: the volunteers were told."""
    with transaction.atomic():
        locked = Centre.objects.select_for_update().get(pk=centre.pk)
        if locked.status != Centre.Status.CLOSED:
            raise ClosingError(_("このセンターは閉所していません。"))
        locked.status, locked.closed_on = Centre.Status.OPEN, None
        stamp(locked, ["status"])
        with audit.operation("centre.reopened", by=by, centre=locked):
            locked.save(update_fields=["status", "closed_on", "public_changed"])
            audit.changed(locked, fields=["status", "closed_on"])
        state = centre_state(locked)
        events.emit(locked, "centre.reopened", {"centre": state}, public={"centre": state})
        for user_id in set(Membership.objects.filter(centre=locked).values_list("user_id", flat=True)):
            events.access_changed(user_id)
    centre.status, centre.closed_on = locked.status, locked.closed_on
    return locked
