"""The read behind the poster's check-in, in one query: the centre, the volunteer this phone belongs to (with
their group), and that volunteer's attendance and open booking at the centre today.

The check-in page and the check-in itself each need all of them. Through the ORM that was four queries a
request, and compiling them was the largest share of the server's CPU in the 8:30 burst
(bench/checkin_burst.py); here the statement is written once per process (ops.sqlrows).
"""
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from ops.centres.models import Centre, Disaster
from ops.sqlrows import Columns, build_all, fetchone, select
from ops.volunteers.models import Attendance, Booking, Group, Volunteer
from ops.volunteers.selectors import attendance_today, the_one


@dataclass
class Arrival:
    centre: Centre
    day: date  # the centre's today
    volunteer: Volunteer | None  # None: this phone has not opened a personal link (or it was erased)
    attendance: Attendance | None  # the volunteer's, at this centre, today
    booking: Booking | None  # the volunteer's open booking (事前予約) for today


_columns = None
_sql = None


def _statement():
    global _columns, _sql
    if _sql is None:
        _columns = (Columns(Centre, "c"), Columns(Volunteer, "v"), Columns(Group, "g"), Columns(Attendance, "a"),
                    Columns(Booking, "b"), Columns(Disaster, "d"))
        table = {m: m._meta.db_table for m in (Centre, Volunteer, Group, Attendance, Booking, Disaster)}
        _sql = f"""SELECT {select(*_columns)}
FROM {table[Centre]} c
JOIN {table[Disaster]} d ON d.id = c.disaster_id
LEFT JOIN {table[Volunteer]} v ON v.token = %(token)s AND v.personal_data_erased_at IS NULL
LEFT JOIN {table[Group]} g ON g.id = v.group_id
LEFT JOIN {table[Attendance]} a ON a.volunteer_id = v.id AND a.centre_id = c.id AND a.date = %(day)s
LEFT JOIN {table[Booking]} b ON b.volunteer_id = v.id AND b.centre_id = c.id AND b.date = %(day)s
  AND b.cancelled_at IS NULL
WHERE c.slug = %(slug)s"""  # noqa: S608 (names from the models' meta; values are parameters)
    return _sql, _columns


def arrival(slug: str, token: str | None) -> Arrival | None:
    """The centre `slug` (None when there is none) with the phone's volunteer and their day there."""
    sql, columns = _statement()
    # Every centre so far is in Japan: the day is taken in the project's zone, and read again below for a
    # centre elsewhere.
    day = timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    row = fetchone(sql, {"slug": slug, "token": token or "", "day": day})
    if row is None:
        return None
    centre, volunteer, group, attendance, booking, disaster = build_all(row, *columns)
    centre.disaster = disaster  # the page's 訓練 banner asks Centre.is_drill: no query for it
    if volunteer is not None and group is not None:
        volunteer.group = group
    today = centre.today()
    if today != day and volunteer is not None:
        attendance = attendance_today(volunteer, centre, today)
        booking = the_one(Booking.objects.filter(volunteer=volunteer, centre=centre, date=today,
                                                 cancelled_at__isnull=True))
    for obj in (attendance, booking):
        if obj is not None:  # the joined rows are this centre's and this volunteer's: no query to reach them
            obj.centre, obj.volunteer = centre, volunteer
    return Arrival(centre=centre, day=today, volunteer=volunteer, attendance=attendance, booking=booking)
