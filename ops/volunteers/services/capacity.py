"""How many places a day has taken: attendances (by head count) plus open bookings of people not yet in.

`lock_centre` serialises every booking and check-in of one centre on the centre's row (ops.events.emit
takes the same lock anyway), so counting after it and inserting before commit cannot overshoot.
"""
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from ops.centres.models import Base, Centre
from ops.volunteers.models import Attendance, Booking
from ops.volunteers.rules import VolunteerError


@dataclass(frozen=True)
class Places:
    capacity: int
    used: int
    base_capacity: int | None = None
    base_used: int = 0

    @property
    def left(self) -> int:
        return max(self.capacity - self.used, 0)

    @property
    def base_left(self) -> int | None:
        return None if self.base_capacity is None else max(self.base_capacity - self.base_used, 0)


def lock_centre(centre: Centre) -> Centre:
    """The centre's row, locked until commit, with today's settings (capacity may have just changed)."""
    return Centre.objects.select_for_update().get(pk=centre.pk)


def places(centre: Centre, day: date, base: Base | None = None) -> Places:
    """Two queries: attendances, and bookings whose volunteer has not checked in yet."""
    at_base = Q(base=base) if base is not None else Q(pk__in=[])
    att = Attendance.objects.filter(centre=centre, date=day).aggregate(
        total=Sum("head_count"), base=Sum("head_count", filter=at_base))
    arrived = Attendance.objects.filter(volunteer=OuterRef("volunteer"), centre=centre, date=day)
    booked = (Booking.objects.filter(centre=centre, date=day, cancelled_at__isnull=True)
              .exclude(Exists(arrived))
              .aggregate(total=Sum("head_count"), base=Sum("head_count", filter=at_base)))
    return Places(
        capacity=centre.daily_capacity,
        used=(att["total"] or 0) + (booked["total"] or 0),
        base_capacity=base.daily_capacity if base is not None else None,
        base_used=(att["base"] or 0) + (booked["base"] or 0),
    )


def ensure_room(centre: Centre, day: date, *, head_count: int, base: Base | None = None,
                held: int = 0, held_base: int = 0) -> None:
    """Refuse when `head_count` more people would not fit. `held` is what the person's own booking
    already counts (at the centre, and at this base): a booked volunteer is never turned away."""
    now = places(centre, day, base)
    refuse_if_full(centre, day, head_count=head_count, base=base, used=now.used, base_used=now.base_used,
                   held=held, held_base=held_base)


def refuse_if_full(centre: Centre, day: date, *, head_count: int, base: Base | None, used: int, base_used: int,
                   held: int = 0, held_base: int = 0) -> None:
    if head_count > held and used - held + head_count > centre.daily_capacity:
        raise VolunteerError(
            _("%(date)sの受付は定員（%(n)d人）に達しました。別の日にご協力をお願いします。")
            % {"date": _date_label(day), "n": centre.daily_capacity}, code="full")
    if (base is not None and base.daily_capacity is not None and head_count > held_base
            and base_used - held_base + head_count > base.daily_capacity):
        raise VolunteerError(
            _("%(base)sの%(date)sの受付は定員（%(n)d人）に達しました。")
            % {"base": base.name, "date": _date_label(day), "n": base.daily_capacity}, code="base_full")


@dataclass(frozen=True)
class Arrival:
    """What check-in needs to know under the lock, read in one statement (the 8:30 queue's hot path):
    whether the person is already in, their booking, and the places taken at the centre and at the base."""

    attendance_id: int | None
    booked: int  # head count of their open booking (0: none)
    booked_base_id: int | None
    used: int
    base_used: int


_ARRIVAL_SQL = """
SELECT
  (SELECT a.id FROM volunteers_attendance a WHERE a.volunteer_id = %(v)s AND a.centre_id = %(c)s AND a.date = %(d)s),
  (SELECT b.head_count FROM volunteers_booking b WHERE b.volunteer_id = %(v)s AND b.centre_id = %(c)s AND b.date = %(d)s
     AND b.cancelled_at IS NULL),
  (SELECT b.base_id FROM volunteers_booking b WHERE b.volunteer_id = %(v)s AND b.centre_id = %(c)s AND b.date = %(d)s
     AND b.cancelled_at IS NULL),
  (SELECT COALESCE(SUM(a.head_count), 0) FROM volunteers_attendance a WHERE a.centre_id = %(c)s AND a.date = %(d)s),
  (SELECT COALESCE(SUM(a.head_count), 0) FROM volunteers_attendance a WHERE a.centre_id = %(c)s AND a.date = %(d)s
     AND a.base_id = %(b)s),
  (SELECT COALESCE(SUM(b.head_count), 0) FROM volunteers_booking b WHERE b.centre_id = %(c)s AND b.date = %(d)s
     AND b.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM volunteers_attendance a WHERE a.volunteer_id = b.volunteer_id
     AND a.centre_id = b.centre_id AND a.date = b.date)),
  (SELECT COALESCE(SUM(b.head_count), 0) FROM volunteers_booking b WHERE b.centre_id = %(c)s AND b.date = %(d)s
     AND b.base_id = %(b)s AND b.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM volunteers_attendance a
     WHERE a.volunteer_id = b.volunteer_id AND a.centre_id = b.centre_id AND a.date = b.date))
"""


def arrival(centre: Centre, day: date, volunteer_id: int, base_id: int | None) -> Arrival:
    """Call under lock_centre. `base_id` None means "the base of their booking, if any"."""
    from django.db import connection

    params = {"v": volunteer_id, "c": centre.pk, "d": day, "b": base_id}
    with connection.cursor() as cursor:
        cursor.execute(_ARRIVAL_SQL, params)
        att_id, booked, booked_base, used_att, base_att, used_book, base_book = cursor.fetchone()
        if base_id is None and booked_base is not None:  # their booking decides the base: count that one
            cursor.execute(_ARRIVAL_SQL, {**params, "b": booked_base})
            *_, base_att, _used, base_book = cursor.fetchone()
    return Arrival(attendance_id=att_id, booked=booked or 0, booked_base_id=booked_base,
                   used=used_att + used_book, base_used=base_att + base_book)


def _date_label(day: date) -> str:
    return _("%(m)d月%(d)d日") % {"m": day.month, "d": day.day}
