"""Check-in and check-out (受付・活動終了): one attendance per volunteer, centre and day.

Idempotent by construction: the unique constraint `attendance_once_a_day` is the truth, the centre row lock
orders concurrent check-ins (capacity counts stay exact), and a concurrent insert that still slips through
is refused by the constraint and answered with the row that won.
"""
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Base, Centre
from ops.events import emit
from ops.sqlrows import insert
from ops.volunteers.models import Attendance, Booking, Volunteer
from ops.volunteers.rules import (
    VolunteerError,
    check_health,
    check_not_suspended,
    check_volunteer,
    closed_error,
)
from ops.volunteers.selectors import the_one
from ops.volunteers.services.capacity import from_row, places_query, refuse_if_over
from ops.volunteers.state import attendance_state


def check_in(volunteer: Volunteer, centre: Centre, *, on: date, via: str = Attendance.Via.PHONE,
             health: dict, insurance_confirmed: bool, insurance: str | None = None, base: Base | None = None,
             head_count: int = 1, by=None, seen=None) -> Attendance:
    """Check the volunteer in for the day. A repeat (double tap, network retry, staff and phone at once)
    returns the existing attendance unchanged, with `.created` False, and publishes nothing.

    `insurance` records a status the volunteer declares now (enrolled online on the spot). `seen` is the
    volunteer's day as the poster's page just read it (ops.volunteers.arrival: attendance and booking), so the
    8:30 queue reads nothing twice; without it they are read here.

    The row is inserted first; then the event takes the centre's row lock and the day is counted in the same
    round trip (ops.events.emit with `locked_read`): every check-in of the centre counts after the previous
    one committed, so two at once cannot both take the last place, and the lock is held from there to the
    commit only (the 8:30 queue waits on it). A refusal rolls the attendance and the event back together.
    """
    if seen is not None and (seen.day != on or seen.volunteer is None or seen.volunteer.pk != volunteer.pk):
        seen = None
    existing = seen.attendance if seen is not None else _attendance(volunteer, centre, on)
    if existing is not None:
        existing.created = False
        return existing
    if on > centre.today():
        raise VolunteerError(_("当日以外の受付はできません。"), code="date")
    check_volunteer(centre, volunteer, insurance=insurance, insurance_confirmed=insurance_confirmed)
    check_health(health)
    if base is not None and base.centre_id != centre.pk:
        raise VolunteerError(_("拠点の指定が正しくありません。"), code="base")
    head_count = max(int(head_count), 1)
    if head_count > 1 and not volunteer.is_group_leader:
        raise VolunteerError(_("複数人での受付は団体の代表者のみできます。"), code="head_count")
    if seen is not None:
        booking = seen.booking
    else:
        booking = the_one(Booking.objects.filter(volunteer=volunteer, centre=centre, date=on,
                                                 cancelled_at__isnull=True).select_related("base"))
    if base is None and booking is not None:
        base = booking.base
    if booking is None and centre.recruitment_status == Centre.Recruitment.NONE:
        raise VolunteerError(_("本日はボランティアの募集を行っていません。"), code="not_recruiting")

    attendance = Attendance(volunteer=volunteer, centre=centre, base=base, date=on, checked_in_at=timezone.now(),
                            via=via, health=health, insurance_confirmed=insurance_confirmed, head_count=head_count)
    inserted = False
    try:
        with transaction.atomic(), audit.operation("attendance.check_in", by=by, centre=centre):
            # First in the transaction, so a duplicate (the same person at the same moment: the unique
            # constraint decides) aborts nothing else and needs no savepoint of its own.
            insert(attendance)  # no signal listens to attendances; the ORM's save compiled the same INSERT
            inserted = True
            if by is not None:  # a desk's check-in (the raw insert passes no save signal); a phone's is the event
                audit.changed(attendance)
            event = emit(centre, "attendance.checked_in", {"attendance": attendance_state(attendance)},
                         public={"volunteers_today": head_count}, locked_read=places_query(centre.pk, on, base))
            now = from_row(event.locked_row, base)  # counts this attendance, and everyone committed before us
            if now.centre_closed:  # closed while this check-in waited on the lock (ops.centres.closing)
                raise closed_error()
            if now.suspended_at(centre.local(attendance.checked_in_at).time()):  # 活動中止, read under the lock
                check_not_suspended(centre, attendance.checked_in_at)
            held = booking.head_count if booking else 0
            refuse_if_over(now, on, base=base, used=now.used, base_used=now.base_used,
                           exempt=head_count <= held,
                           exempt_base=head_count <= held and booking.base_id == getattr(base, "pk", None))
            if insurance and insurance != volunteer.insurance:  # after the last refusal: the object stays true
                volunteer.insurance = insurance
                volunteer.save(update_fields=["insurance"])
    except IntegrityError:
        if inserted:
            raise
        return _attendance(volunteer, centre, on)
    attendance.created = True
    return attendance


def check_out(attendance: Attendance, *, at: datetime | None = None, by=None) -> Attendance:
    """Record the end of the day's activity and the time at the centre (check-in to check-out): the one
    writer of Attendance.hours; a return report never touches it. Checking out twice keeps the first time."""
    with transaction.atomic(), audit.operation("attendance.check_out", by=by):
        attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
        if attendance.checked_out_at is not None:
            attendance.created = False
            return attendance
        at = at or timezone.now()
        if at < attendance.checked_in_at:
            raise VolunteerError(_("終了時刻が受付時刻より前になっています。"), code="time")
        attendance.checked_out_at = at
        attendance.hours = hours_between(attendance.checked_in_at, at)
        attendance.save(update_fields=["checked_out_at", "hours"])
        if by is not None:
            audit.changed(attendance, fields=["checked_out_at", "hours"])
        emit(attendance.centre_id, "attendance.checked_out", {"attendance": attendance_state(attendance)})
    attendance.created = True
    return attendance


def hours_between(start: datetime, end: datetime) -> Decimal:
    hours = Decimal((end - start).total_seconds()) / Decimal(3600)
    return min(hours, Decimal("24")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _attendance(volunteer, centre, on) -> Attendance | None:
    attendance = the_one(Attendance.objects.filter(volunteer=volunteer, centre=centre, date=on))
    if attendance is not None:
        attendance.created = False
    return attendance
