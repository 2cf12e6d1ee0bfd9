"""事前予約: a volunteer (or a group's leader, for the whole group) reserves a place for a coming day."""
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.centres.models import Base, Centre, Suspension
from ops.events import emit
from ops.messages.models import OutboundMail
from ops.prefecture.models import Offering
from ops.volunteers.mailing import mail_booking
from ops.volunteers.models import Attendance, Booking, Volunteer
from ops.volunteers.rules import VolunteerError, check_age, check_open, check_scope
from ops.volunteers.services.capacity import ensure_room, lock_centre
from ops.volunteers.state import booking_state

BOOKING_DAYS_AHEAD = 14


def bookable_days(centre: Centre) -> list[date]:
    today = centre.today()
    days = [today + timedelta(days=n) for n in range(1, BOOKING_DAYS_AHEAD + 1)]
    return [d for d in days if centre.closed_on is None or d <= centre.closed_on]


def is_bookable(centre: Centre, day: date, *, taken) -> bool:
    """Whether `book` would take a booking for `day` from someone within the scope: the same refusals, read
    without the lock (the public feed's `booking_open`). `taken` is capacity.places(centre, day)."""
    suspended_whole_day = taken.suspended and taken.suspended_from is None
    return (centre.status != Centre.Status.CLOSED and centre.recruitment_status != Centre.Recruitment.NONE
            and day in bookable_days(centre) and not suspended_whole_day and not taken.closed and taken.left > 0
            and not Offering.objects.filter(centre=centre, date=day).exists())


def book(volunteer: Volunteer, centre: Centre, *, on: date, base: Base | None = None,
         head_count: int = 1, by=None) -> Booking:
    """Reserve a place on `on` (tomorrow at the earliest). Booking twice is the same booking; a cancelled
    one comes back. Returns the booking with `.created`. Someone living outside the recruitment scope is
    refused unless staff (`by`) book for them."""
    check_open(centre)
    if on not in bookable_days(centre):
        raise VolunteerError(_("予約できるのは翌日から%(n)d日先までです。") % {"n": BOOKING_DAYS_AHEAD}, code="date")
    if centre.recruitment_status == Centre.Recruitment.NONE:
        raise VolunteerError(_("現在、ボランティアの募集を行っていません。"), code="not_recruiting")
    if not getattr(by, "is_authenticated", False) and Offering.objects.filter(centre=centre, date=on).exists():
        raise VolunteerError(_("この日の参加は、県の受付窓口からの応募で決まります。あなたのページから応募してください。"),
                             code="offering")
    check_age(centre, age_band=volunteer.age_band, guardian_consent=volunteer.guardian_consent)
    if not getattr(by, "is_authenticated", False):
        check_scope(centre, prefecture=volunteer.prefecture, city=volunteer.city)
    if base is not None and (base.centre_id != centre.pk or base.retired_at is not None):
        raise VolunteerError(_("拠点の指定が正しくありません。"), code="base")
    head_count = max(int(head_count), 1)
    if head_count > 1 and not volunteer.is_group_leader:
        raise VolunteerError(_("複数人での予約は団体の代表者のみできます。"), code="head_count")
    with transaction.atomic():
        centre = lock_centre(centre)
        check_open(centre)  # as committed: a close that took the lock first refuses this booking
        suspended = Suspension.objects.on(centre, on)  # as committed: a suspend takes the same lock
        if suspended is not None and suspended.whole_day:
            raise VolunteerError(_("この日は活動中止（%(reason)s）のため、予約を受け付けていません。") % {
                "reason": suspended.get_reason_display()}, code="suspended")
        booking = Booking.objects.filter(volunteer=volunteer, centre=centre, date=on).first()
        if booking is not None and booking.cancelled_at is None and booking.head_count >= head_count \
                and booking.base_id == (base.pk if base else None):
            booking.created = False
            return booking
        held = booking.head_count if booking is not None and booking.cancelled_at is None else 0
        held_base = held if booking is not None and base is not None and booking.base_id == base.pk else 0
        ensure_room(centre, on, head_count=head_count, base=base, held=held, held_base=held_base)
        if booking is None:
            booking = Booking(volunteer=volunteer, centre=centre, date=on)
        booking.base, booking.head_count, booking.cancelled_at = base, head_count, None
        try:
            with transaction.atomic():
                booking.save()
        except IntegrityError:  # a second request of the same person; its booking stands
            booking = Booking.objects.get(volunteer=volunteer, centre=centre, date=on)
            booking.created = False
            return booking
        emit(centre, "booking.saved", {"booking": booking_state(booking)}, public=booked_delta(on, head_count - held))
        mail_booking(booking, OutboundMail.Kind.BOOKING_CONFIRMED, triggered_by="booking")
    booking.created = True
    return booking


def cancel_booking(booking: Booking, *, notify: bool = True, via_application: bool = False) -> Booking:
    """Give the places back. Once someone has arrived their attendance holds the places, not the booking.
    The volunteer is mailed (unless `notify` is False: a caller that sends its own mail, e.g. a suspension).
    A place given by the prefecture's allocation cancels its application and moves the waiting list
    (ops.prefecture.services.offerings.booking_cancelled), unless that cancellation is what called here."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.cancelled_at is None:
            booking.cancelled_at = timezone.now()
            booking.save(update_fields=["cancelled_at"])
            arrived = Attendance.objects.filter(volunteer_id=booking.volunteer_id, centre_id=booking.centre_id,
                                                date=booking.date).exists()
            if not via_application:
                from ops.prefecture.services.offerings import booking_cancelled

                # Before the event: its offering lock comes before the centre row's (emit updates it), the order
                # cancel_application takes them in. The other way round two cancellations at once deadlocked.
                booking_cancelled(booking, told=notify)
            emit(booking.centre_id, "booking.cancelled", {"booking": booking_state(booking)},
                 public=None if arrived else booked_delta(booking.date, -booking.head_count))
            if notify:
                mail_booking(booking, OutboundMail.Kind.BOOKING_CANCELLED, triggered_by="cancel")
    return booking


def booked_delta(day: date, people: int) -> dict | None:
    """The public board's delta of people booked on `day` (ops.events), or None when no place changed."""
    return {"booked": {day.isoformat(): people}} if people else None
