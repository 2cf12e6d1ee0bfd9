"""Reads of the volunteers area: reception search, the day's roster and counts, certificate rows."""
import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q

from ops import normalise
from ops.centres.models import Centre
from ops.volunteers.models import HEADS, Attendance, Booking, Volunteer

_TOKEN_IN_URL = re.compile(r"/v/([A-Za-z0-9_-]{20,43})/?")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,43}$")


def the_one(queryset):
    """The row of a lookup that matches at most one (a unique key), or None. Unlike .first() it adds no
    ORDER BY: compiling that was a visible share of the 8:30 check-in's CPU (bench/checkin_burst.py)."""
    return next(iter(queryset.order_by()[:1]), None)


def volunteers_of(centre: Centre):
    """Volunteers this centre knows: registered here or at its disaster's prefecture point, booked or
    attended here."""
    return Volunteer.objects.filter(
        Q(registered_centre=centre) | Q(registered_disaster_id=centre.disaster_id)
        | Exists(Booking.objects.filter(volunteer=OuterRef("pk"), centre=centre))
        | Exists(Attendance.objects.filter(volunteer=OuterRef("pk"), centre=centre)),
        personal_data_erased_at__isnull=True,
    )


def search(centre: Centre, query: str, *, limit: int = 30):
    """Reception search by name, kana, phone, or a scanned personal QR (its URL or token).

    Name and kana search this centre's volunteers; a full phone number or a personal QR finds anyone
    (they are standing at the desk)."""
    query = (query or "").strip()
    if not query:
        return Volunteer.objects.none()
    token = _TOKEN_IN_URL.search(query)
    if token or _TOKEN.match(query):
        value = token.group(1) if token else query
        return Volunteer.objects.filter(token=value, personal_data_erased_at__isnull=True)
    known = volunteers_of(centre)
    if normalise.looks_like_phone(query):
        digits = normalise.phone_key(query)
        if len(digits) >= 10:  # a whole number: whoever it is
            return Volunteer.objects.filter(phone_normalised=digits, personal_data_erased_at__isnull=True)[:limit]
        if len(digits) >= 3:  # the last digits, among this centre's volunteers
            return known.filter(phone_normalised__endswith=digits).order_by("kana_key")[:limit]
        return Volunteer.objects.none()
    kana = normalise.kana_key(query)
    name = query.replace(" ", "").replace("\u3000", "")
    return (known.filter(Q(kana_key__contains=kana) | Q(name__icontains=name) | Q(name__icontains=query))
            .order_by("kana_key")[:limit])


def attendance_by_volunteer(centre: Centre, day: date, volunteers) -> dict[int, Attendance]:
    ids = [v.pk for v in volunteers]
    return {a.volunteer_id: a for a in Attendance.objects.filter(centre=centre, date=day, volunteer_id__in=ids)}


def attendance_today(volunteer: Volunteer, centre: Centre, day: date) -> Attendance | None:
    return the_one(Attendance.objects.filter(volunteer=volunteer, centre=centre, date=day))


@dataclass
class RosterRow:
    attendance: Attendance
    status: str  # "in" at the centre, "away" with a team not yet back, "out" checked out


def roster(centre: Centre, day: date) -> list[RosterRow]:
    """Everyone checked in on the day, with where they are: in (at the centre), away (their team is out,
    not yet back), out (checked out)."""
    from ops.dispatch.selectors import IN_FIELD

    rows = []
    qs = (Attendance.objects.filter(centre=centre, date=day)
          .select_related("volunteer", "team", "base").order_by("checked_in_at", "pk"))
    for att in qs:
        if att.checked_out_at is not None:
            status = "out"
        elif att.team is not None and att.team.status in IN_FIELD:
            status = "away"
        else:
            status = "in"
        rows.append(RosterRow(att, status))
    return rows


def day_counts(centre: Centre, day: date) -> dict:
    """The day's figures for reception and the roster, in people: volunteers today with in / not back / out
    (Attendance.objects.heads_on), booked and not yet arrived, and places left (the booking service's Places)."""
    from ops.volunteers.services.capacity import places  # services read through selectors

    left = places(centre, day)
    return {"date": day.isoformat(), **Attendance.objects.heads_on(centre, day),
            "booked_waiting": left.booked_waiting, "capacity": left.capacity, "left": left.left}


def head_rows(counts: dict) -> list[tuple[str, str, int]]:
    """(key, words, number) of volunteers today and its parts, in the order every surface shows them."""
    return [(key, label, counts[key]) for key, label in HEADS.items()]


def bookings_on(centre: Centre, day: date):
    return (Booking.objects.on(centre, day)
            .select_related("volunteer", "base").order_by("volunteer__kana_key"))


def service_record(volunteer: Volunteer, centre: Centre):
    """The volunteer's days at the centre, for the activity certificate (活動証明書)."""
    return list(Attendance.objects.filter(volunteer=volunteer, centre=centre).order_by("date"))


def centres_served(volunteer: Volunteer):
    """The centres whose certificates the volunteer's page offers: never a drill's (訓練) practice."""
    return Centre.objects.real().filter(attendances__volunteer=volunteer).distinct().order_by("id")


def mails_to(volunteer: Volunteer, centre: Centre, *, limit: int = 20):
    """The centre's latest mails to the volunteer (about them or one of their bookings), with each delivery
    state: what reception reads when someone says they were never told."""
    from ops.messages.models import OutboundMail
    from ops.messages.services import about_of

    bookings = Booking.objects.filter(volunteer=volunteer, centre=centre).values_list("pk", flat=True)
    about = [about_of(volunteer), *(f"volunteers.booking:{pk}" for pk in bookings)]
    return list(OutboundMail.objects.filter(centre=centre, about__in=about).order_by("-queued_at", "-id")[:limit])
