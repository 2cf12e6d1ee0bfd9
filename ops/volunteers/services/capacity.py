"""How many places a day has taken: attendances (by head count) plus open bookings of people not yet in.
`places(centre, day)` is the one answer to "places left" on every surface (booking, check-in, reception, the
public board and its JSON). Its one statement counts what Attendance.objects.heads_on and
Booking.objects.heads_waiting count, in the form the check-in's locked read needs
(tests/volunteers/test_counts_on_every_surface.py holds them to each other).

Every booking and check-in of one centre is serialised on the centre's row, so figures read after taking
it include everyone who committed before, and no two writers can both take the last place. A booking takes
it with `lock_centre`; a check-in takes it with its event (ops.events.emit, `locked_read=places_query(...)`),
which holds it for one round trip and the commit instead of a whole transaction.

A day's capacity is the standing figure (Centre.daily_capacity, Base.daily_capacity) unless a CapacityDay
(ops.centres.models) sets that date's figure or closes the day (休止日: no places at all). The same statement
reads it, so a booking, a check-in and every page agree on the figure as committed.
"""
from dataclasses import dataclass
from datetime import date, time

from django.db import connection
from django.utils.translation import gettext as _

from ops.centres.models import Base, Centre
from ops.volunteers.rules import VolunteerError


@dataclass(frozen=True)
class Places:
    """A day's places, in people: capacity less people checked in less people booked and not yet arrived.
    `closed`: the centre (or `base_closed`: the base) takes nobody that day (its capacity is then 0)."""

    capacity: int
    checked_in: int
    booked_waiting: int
    base_capacity: int | None = None
    base_used: int = 0
    closed: bool = False  # the date is closed (休止日: CapacityDay.closed)
    base_closed: bool = False
    centre_closed: bool = False  # the centre closed (閉所), as committed: a check-in waiting on the lock is refused
    suspended: bool = False  # the day has a suspension (活動中止), as committed, from `suspended_from` (None: all day)
    suspended_from: time | None = None

    def suspended_at(self, clock: time) -> bool:
        """Whether activity is suspended at `clock` (the centre's wall clock) on this day."""
        return self.suspended and (self.suspended_from is None or clock >= self.suspended_from)

    @property
    def used(self) -> int:
        return self.checked_in + self.booked_waiting

    @property
    def left(self) -> int:
        return max(self.capacity - self.used, 0)

    @property
    def base_left(self) -> int | None:
        return None if self.base_capacity is None else max(self.base_capacity - self.base_used, 0)


def lock_centre(centre: Centre) -> Centre:
    """The centre's row, locked until commit, with today's settings (capacity may have just changed)."""
    return Centre.objects.select_for_update().get(pk=centre.pk)


# One statement (it runs under the lock, in the 8:30 queue): the centre's standing capacity as committed and the
# date's own (CapacityDay: capacity, closed), whether the centre is closed (閉所), the day's suspension (活動中止:
# whether there is one, and its hour or NULL for the whole day), people checked in, plus open
# bookings of people not checked in yet, for the centre and for one base, with the base's date figures (zeros and NULLs when there is no base:
# most check-ins name none, and PostgreSQL need not plan those subqueries).
_CENTRE_SQL = """
  (SELECT c.daily_capacity FROM centres_centre c WHERE c.id = %(c)s),
  (SELECT cd.capacity FROM centres_capacityday cd WHERE cd.centre_id = %(c)s AND cd.base_id IS NULL
     AND cd.date = %(d)s),
  (SELECT cd.closed FROM centres_capacityday cd WHERE cd.centre_id = %(c)s AND cd.base_id IS NULL AND cd.date = %(d)s),
  (SELECT c.status = 'closed' FROM centres_centre c WHERE c.id = %(c)s),
  (SELECT 1 FROM centres_suspension s WHERE s.centre_id = %(c)s AND s.date = %(d)s AND s.lifted_at IS NULL),
  (SELECT s.starts_at FROM centres_suspension s WHERE s.centre_id = %(c)s AND s.date = %(d)s AND s.lifted_at IS NULL),
  (SELECT COALESCE(SUM(a.head_count), 0) FROM volunteers_attendance a WHERE a.centre_id = %(c)s AND a.date = %(d)s),
"""
_BOOKED_SQL = """
  (SELECT COALESCE(SUM(b.head_count), 0) FROM volunteers_booking b WHERE b.centre_id = %(c)s AND b.date = %(d)s
     AND b.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM volunteers_attendance a
     WHERE a.volunteer_id = b.volunteer_id AND a.centre_id = b.centre_id AND a.date = b.date)),
"""
_PLACES_SQL = f"""SELECT {_CENTRE_SQL}
  (SELECT COALESCE(SUM(a.head_count), 0) FROM volunteers_attendance a WHERE a.centre_id = %(c)s AND a.date = %(d)s
     AND a.base_id = %(b)s),
{_BOOKED_SQL}
  (SELECT COALESCE(SUM(b.head_count), 0) FROM volunteers_booking b WHERE b.centre_id = %(c)s AND b.date = %(d)s
     AND b.base_id = %(b)s AND b.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM volunteers_attendance a
     WHERE a.volunteer_id = b.volunteer_id AND a.centre_id = b.centre_id AND a.date = b.date)),
  (SELECT cd.capacity FROM centres_capacityday cd WHERE cd.base_id = %(b)s AND cd.date = %(d)s),
  (SELECT cd.closed FROM centres_capacityday cd WHERE cd.base_id = %(b)s AND cd.date = %(d)s)
"""  # noqa: S608 (constant pieces; every value is a parameter)
_PLACES_NO_BASE_SQL = f"SELECT {_CENTRE_SQL} 0, {_BOOKED_SQL} 0, NULL, NULL"


def places_query(centre_id: int, day: date, base: Base | None = None) -> tuple[str, dict]:
    """The day's figures as (sql, params), for ops.events.emit(locked_read=...); read them with from_row."""
    if base is None:
        return _PLACES_NO_BASE_SQL, {"c": centre_id, "d": day}
    return _PLACES_SQL, {"c": centre_id, "d": day, "b": base.pk}


def from_row(row, base: Base | None = None, *, standing: int | None = None) -> Places:
    """Places from a places_query row. The capacity is the date's own when one is set, else the standing
    one: as committed in the database, or `standing` (the centre object's, e.g. as just locked)."""
    (committed, day_capacity, day_closed, centre_closed, suspended, suspended_from, att, att_base, booked,
     booked_base, base_day_capacity, base_day_closed) = row
    if isinstance(suspended_from, str):  # SQLite hands a time back as text
        suspended_from = time.fromisoformat(suspended_from)
    closed, base_closed = bool(day_closed), bool(base_day_closed)
    capacity = day_capacity if day_capacity is not None else committed if standing is None else standing
    base_capacity = None
    if base is not None:
        base_capacity = base_day_capacity if base_day_capacity is not None else base.daily_capacity
    return Places(capacity=0 if closed else capacity, checked_in=att, booked_waiting=booked,
                  base_capacity=0 if base_closed else base_capacity, base_used=att_base + booked_base,
                  closed=closed, base_closed=base_closed, centre_closed=bool(centre_closed),
                  suspended=bool(suspended), suspended_from=suspended_from)


def places(centre: Centre, day: date, base: Base | None = None) -> Places:
    """The day's figures; the standing capacity is that of `centre` as given (e.g. as just locked by
    lock_centre), a date's own (CapacityDay) as committed."""
    with connection.cursor() as cursor:
        cursor.execute(*places_query(centre.pk, day, base))
        row = cursor.fetchone()
    return from_row(row, base, standing=centre.daily_capacity)


def ensure_room(centre: Centre, day: date, *, head_count: int, base: Base | None = None,
                held: int = 0, held_base: int = 0) -> None:
    """Refuse when `head_count` more people would not fit. `held` is what the person's own booking
    already counts (at the centre, and at this base): a booked volunteer is never turned away."""
    now = places(centre, day, base)
    refuse_if_over(now, day, base=base, used=now.used - held + head_count,
                   base_used=now.base_used - held_base + head_count,
                   exempt=head_count <= held, exempt_base=head_count <= held_base)


def refuse_if_over(now: Places, day: date, *, base: Base | None, used: int, base_used: int,
                   exempt: bool = False, exempt_base: bool = False) -> None:
    """Refuse on a closed day (休止日: nobody, booked or not), or when the day's figures, counting the
    newcomer, pass the centre's or the base's capacity of that day. `exempt`: the newcomer's own booking
    already held their places."""
    if now.closed:
        raise VolunteerError(_("%(date)sは受付を休止します。別の日にご協力をお願いします。")
                             % {"date": _date_label(day)}, code="closed_day")
    if base is not None and now.base_closed:
        raise VolunteerError(_("%(base)sは%(date)sの受付を休止します。")
                             % {"base": base.name, "date": _date_label(day)}, code="base_closed_day")
    if not exempt and used > now.capacity:
        raise VolunteerError(
            _("%(date)sの受付は定員（%(n)d人）に達しました。別の日にご協力をお願いします。")
            % {"date": _date_label(day), "n": now.capacity}, code="full")
    if base is not None and now.base_capacity is not None and not exempt_base and base_used > now.base_capacity:
        raise VolunteerError(
            _("%(base)sの%(date)sの受付は定員（%(n)d人）に達しました。")
            % {"base": base.name, "date": _date_label(day), "n": now.base_capacity}, code="base_full")


def _date_label(day: date) -> str:
    return _("%(m)d月%(d)d日") % {"m": day.month, "d": day.day}
