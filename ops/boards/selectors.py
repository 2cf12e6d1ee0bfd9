"""What the boards show, read in one consistent snapshot together with the event sequence number it matches.

A board loads a snapshot, then applies events with a higher `seq`. So the snapshot's state and its `seq`
must come from the same moment: both are read in one REPEATABLE READ transaction on PostgreSQL (SQLite's
transactions already see one snapshot). Without that, a public counter delta committed between reading
`seq` and reading the counts would be counted twice.
"""
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from ops import events, privacy
from ops.centres import public
from ops.centres.models import Centre
from ops.centres.services import centre_state
from ops.dispatch.models import Team
from ops.dispatch.state import team_state
from ops.dispatch.transitions import IN_FIELD
from ops.needs.models import Need, NeedStatus, NeedStatusChange, WorkType
from ops.needs.state import need_state
from ops.needs.transitions import OPEN
from ops.partners import figures as partner_figures
from ops.prefecture.models import Offering
from ops.volunteers.models import Attendance
from ops.volunteers.services.booking import is_bookable
from ops.volunteers.services.capacity import places
from ops.volunteers.state import attendance_state

FEED_LENGTH = 50
RECRUITMENT_DAYS = 7  # tomorrow and the six days after
CATCH_UP_LIMIT = 200  # a bigger gap reloads the snapshot instead


@contextmanager
def one_snapshot():
    """A transaction whose reads all see the same committed state. On PostgreSQL the driver opens it as
    REPEATABLE READ (set on the connection, not by a statement: the connection's health check may already
    have run a query in it). Inside a caller's transaction (tests) that transaction's view is used."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    from psycopg import IsolationLevel

    connection.ensure_connection()
    raw = connection.connection
    previous = raw.isolation_level
    raw.isolation_level = IsolationLevel.REPEATABLE_READ
    try:
        with transaction.atomic():
            yield
    finally:
        if not raw.closed:
            raw.isolation_level = previous


def centre_today(centre: Centre, now: datetime):
    """The centre's calendar day at `now` and the instant it began."""
    today = centre.day_of(now)
    return today, centre.day_bounds(today)[0]


# --- staff board -----------------------------------------------------------------------------------------

def staff_snapshot(centre: Centre, *, audience: str = privacy.LIMITED, now: datetime | None = None) -> dict:
    """Entity states (never personal data), counts and the recent events feed, with the matching seq, as the
    audience (ops.privacy: the same as its socket group) gets them."""
    sight = privacy.AUDIENCES[audience]
    now = now or timezone.now()
    today, day_start = centre_today(centre, now)
    with one_snapshot():
        seq = events.last_seq(centre.pk)
        needs = [sight.state("need", need_state(n)) for n in _board_needs(centre, day_start)]
        attendances = [attendance_state(a) for a in Attendance.objects.on(centre, today).order_by("id")]
        volunteers = Attendance.objects.heads_on(centre, today)
        teams = [_team_with_overdue(t, now) for t in _todays_teams(centre, today)]
        feed = events.events_since(centre.pk, max(0, seq - FEED_LENGTH), audience=audience, limit=FEED_LENGTH)
        partners = partner_block(centre, today)
    return {
        "seq": seq, "date": today.isoformat(), "now": now.isoformat(), "timezone": centre.timezone,
        "centre": centre_state(centre), "needs": needs, "attendances": attendances, "teams": teams,
        "counts": staff_counts(volunteers, needs, teams), "events": feed, "partners": partners,
    }


def partner_block(centre: Centre, today) -> dict:
    """技術系: ops.partners.figures.summary (the one home of these counts), and what staff.js needs to know
    which events may move them: `need_ids`, the technical needs counted now, and `specialist`, the work types
    only specialists do. Counts and ids only: nothing of a job's notes or an organisation's people."""
    return {
        "figures": partner_figures.summary(centre, today),
        "need_ids": sorted(partner_figures.technical_needs(centre).order_by().values_list("id", flat=True)),
        "specialist": sorted(WorkType.objects.filter(specialist_only=True).values_list("code", flat=True)),
    }


def _board_needs(centre, day_start):
    """Every open need, and the closed ones that changed today (so 'completed today' shows)."""
    return (Need.objects.filter(centre=centre)
            .filter(Q(status__in=OPEN) | Q(updated_at__gte=day_start) | Q(received_at__gte=day_start))
            .prefetch_related("work_types").order_by("id"))


def _todays_teams(centre, today):
    return (Team.objects.filter(centre=centre, date=today).order_by("number")
            .prefetch_related("members").with_active_dispatch())


def _team_with_overdue(team, now) -> dict:
    active = team.active_dispatch
    state = team_state(team, need_id=active.need_id if active else None)
    state["overdue"] = is_overdue(state, now)
    state["contacted_at"] = active.contacted_at.isoformat() if active and active.contacted_at else None
    return state


def is_overdue(team: dict, now: datetime) -> bool:
    """Out in the field past the expected return time (the board flags it; the JS decides the same way)."""
    if team.get("status") not in IN_FIELD or not team.get("expected_return_at"):
        return False
    return datetime.fromisoformat(team["expected_return_at"]) < now


def staff_counts(volunteers: dict, needs: list[dict], teams: list[dict]) -> dict:
    """The board's figures: volunteers today as Attendance.objects.heads_on counts them, needs and teams by
    status. staff.js keeps them live from the events' entity states, by the same rules."""
    team_counts = Counter(t["status"] for t in teams)
    return {
        "volunteers": volunteers,
        "needs": dict(Counter(n["status"] for n in needs)),
        "teams": dict(team_counts),
        "overdue": sum(1 for t in teams if t.get("overdue")),
    }


# --- public board ----------------------------------------------------------------------------------------

def public_snapshot(centre: Centre, *, now: datetime | None = None) -> dict:
    """Aggregates only: the centre's public information (ops.centres.public), recruitment with places left, and
    counters. `updated_at` is when the public information last changed (a check-in does not move it);
    `figures_at` when a public figure (a counter, places left) last moved."""
    now = now or timezone.now()
    today, day_start = centre_today(centre, now)
    with one_snapshot():
        seq = events.last_seq(centre.pk)
        fresh = Centre.objects.get(pk=centre.pk)
        counters = public_counters(fresh, today, day_start)
        days = recruitment_days(fresh, today)
        figures_at = (fresh.events.filter(public__isnull=False).order_by("-seq")
                      .values_list("created_at", flat=True).first())
        state = centre_state(fresh)
    return {
        "seq": seq, "date": today.isoformat(), "timezone": fresh.timezone, "day_started_at": day_start.isoformat(),
        "name": fresh.name, "centre": state, "counters": counters, "days": days,
        "updated_at": state["updated_at"] or day_start.isoformat(),
        "figures_at": figures_at.isoformat() if figures_at else None,
    }


def public_counters(centre: Centre, today, day_start) -> dict:
    """Volunteers and needs, today and since the centre opened. Names match the event deltas (ops.events)."""
    needs = Need.objects.filter(centre=centre)
    received = needs.aggregate(total=Count("id"), today=Count("id", filter=Q(received_at__gte=day_start)))
    completed = needs.filter(status=NeedStatus.COMPLETED)
    completed_today = (NeedStatusChange.objects.filter(need__in=completed, to_status=NeedStatus.COMPLETED)
                       .values("need").annotate(last=Max("at")).filter(last__gte=day_start).count())
    return {
        "volunteers_today": Attendance.objects.heads_on(centre, today)["checked_in"],
        "volunteers_total": Attendance.objects.heads_until(centre, today),
        "needs_received_today": received["today"], "needs_received_total": received["total"],
        "needs_completed_today": completed_today, "needs_completed_total": completed.count(),
    }


def recruitment_days(centre: Centre, today) -> list[dict]:
    """Tomorrow and the six days after, each with the booking service's own places (ops.volunteers.services.
    capacity.places): `booked` is the people holding a place that day (ahead of the day: the people booked),
    `left` is capacity less booked; `capacity` is the day's own (a CapacityDay) and `closed` a 休止日.
    `booking_open` is whether the booking page takes a booking for the day now (ops.volunteers.services.booking.
    is_bookable), with its link. Booking events move `booked` by the same people; a capacity event reloads the
    snapshot (ops.events)."""
    days = []
    # A day the prefecture offers is applied for at its one registration point (ops.prefecture.urls_volunteer).
    offered = set(Offering.objects.filter(centre=centre, date__gt=today,
                                          date__lte=today + timedelta(days=RECRUITMENT_DAYS))
                  .values_list("date", flat=True))
    point = public.absolute(reverse("pref_vol:point", kwargs={"disaster": centre.disaster_id})) if offered else None
    for day in (today + timedelta(days=i) for i in range(1, RECRUITMENT_DAYS + 1)):
        taken = places(centre, day)
        bookable = is_bookable(centre, day, taken=taken)
        days.append({"date": day.isoformat(), "booked": taken.used, "capacity": taken.capacity, "left": taken.left,
                     "closed": taken.closed, "suspended": taken.suspended and taken.suspended_from is None,
                     "booking_open": bookable,
                     "booking_url": public.book_link(centre, day) if bookable else None,
                     "offering_url": point if day in offered else None})
    return days


# --- catch-up ---------------------------------------------------------------------------------------------

def catch_up(centre: Centre, since: int, *, public: bool, audience: str = privacy.LIMITED) -> dict:
    """Events after `since`, or `reload: true` when the gap is too big (or `since` is from another life
    of the database): the board then reloads its snapshot."""
    seq = events.last_seq(centre.pk)
    if since > seq or seq - since > CATCH_UP_LIMIT:
        return {"seq": seq, "reload": True, "events": []}
    return {"seq": seq, "reload": False, "events": events.events_since(centre.pk, since, public=public,
                                                                       audience=audience, limit=CATCH_UP_LIMIT)}
