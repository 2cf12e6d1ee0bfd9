"""A centre's season played through the real services: the demo for `make run` and the data of the tests that
walk the whole day (tests/season/).

Nothing is inserted behind the services' backs: every need, check-in, team, dispatch, report, booking and
welfare note is made by the function staff or volunteers would call, at the moment it would happen (Python's
clock is moved, see clock.py), so the figures, histories, events and audit trail are what a real season
leaves. The season stops at the real now; days before it are played whole.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Max

from ops.centres.models import Centre, Membership, Role
from ops.needs.models import Need
from ops.season import cast
from ops.season.clock import SeasonClock
from ops.season.day import DayScript
from ops.volunteers.models import Volunteer

STAFF_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.RECEPTION, Role.WELFARE)


@dataclass
class Season:
    centre: Centre
    staff: dict
    clock: SeasonClock
    seed: int = 20260705
    calls_per_day: int = 10
    surveys_per_day: int = 10
    walk_ins_per_day: int = 6
    bookings_per_day: int = 30
    new_registrations_per_day: int = 8
    build_reports: bool = True
    surveyor: object = None
    pool: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    refusals: list = field(default_factory=list)
    day_index: int = 0
    days_played: list = field(default_factory=list)
    _volunteers: int = 0
    _residents: int = 0

    def next_volunteer(self) -> int:
        self._volunteers += 1
        return self._volunteers

    def next_resident(self) -> int:
        self._residents += 1
        return self._residents


def staff_of(centre: Centre) -> dict:
    """The first account of each role at the centre: who does the season's work."""
    staff = {}
    for role in STAFF_ROLES:
        membership = Membership.objects.filter(centre=centre, role=role).select_related("user").order_by("pk").first()
        if membership is None:
            raise ValueError(f"the season needs a {role} account at {centre.slug}")
        staff[role] = membership.user
    return staff


def _temporary_surveyor(centre: Centre):
    """A staff account that surveys the first days and is then removed (a seconded worker who went home):
    its surveys stay, with nobody behind them."""
    user, _ = get_user_model().objects.get_or_create(username=f"surveyor-{centre.slug}",
                                                     defaults={"last_name": "応援", "first_name": "調査員"})
    Membership.objects.get_or_create(user=user, centre=centre, role=Role.INTAKE)
    return user


def play_season(centre: Centre, *, first_day: date, until: datetime | None = None, staff: dict | None = None,
                **options) -> Season:
    """Play every day from `first_day` to the centre's today (until `until`, default the real now)."""
    with SeasonClock(centre, until=until) as clock:
        season = Season(centre=centre, staff=staff or staff_of(centre), clock=clock, **options)
        season.pool = list(Volunteer.objects.filter(registered_centre=centre).order_by("pk"))
        season.needs = list(Need.objects.filter(centre=centre, duplicate_of__isnull=True).order_by("pk"))
        season._volunteers = len(season.pool) + 1000 * (1 if season.pool else 0)
        season._residents = Need.objects.filter(centre=centre).aggregate(n=Max("number"))["n"] or 0
        today = centre.day_of(clock.until)
        if not season.pool:
            _eve_of(season, first_day)
        season.surveyor = _temporary_surveyor(centre) if not season.needs else None
        day = first_day
        while day <= today:
            finished = DayScript(season, day).play()
            season.days_played.append(day)
            if season.surveyor is not None and season.day_index == 1 and finished:
                season.surveyor.delete()
                season.surveyor = None
            season.day_index += 1
            day += timedelta(days=1)
    return season


def _eve_of(season: Season, first_day: date) -> None:
    """The evening before the first day: volunteers pre-register online and book the first day."""
    from ops.volunteers.services import book, register_volunteer

    if not season.clock.at(first_day - timedelta(days=1), time(20, 0)):
        return
    for _ in range(season.bookings_per_day + 10):
        volunteer = register_volunteer(centre=season.centre, **cast.volunteer(season.next_volunteer(), season.centre))
        season.pool.append(volunteer)
    for volunteer in season.pool[: season.bookings_per_day]:
        book(volunteer, season.centre, on=first_day)
