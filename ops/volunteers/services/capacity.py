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
    if head_count > held and now.used - held + head_count > now.capacity:
        raise VolunteerError(
            _("%(date)sの受付は定員（%(n)d人）に達しました。別の日にご協力をお願いします。")
            % {"date": _date_label(day), "n": now.capacity}, code="full")
    if (now.base_capacity is not None and head_count > held_base
            and now.base_used - held_base + head_count > now.base_capacity):
        raise VolunteerError(
            _("%(base)sの%(date)sの受付は定員（%(n)d人）に達しました。")
            % {"base": base.name, "date": _date_label(day), "n": now.base_capacity}, code="base_full")


def _date_label(day: date) -> str:
    return _("%(m)d月%(d)d日") % {"m": day.month, "d": day.day}
