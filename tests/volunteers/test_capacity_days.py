"""A date's own capacity (CapacityDay): a weekend with more places, a day with fewer, a closed day (休止日), for
the centre or one base. ops.volunteers.services.capacity.places reads it, so booking and check-in refuse past
it, and the public board, its JSON, the API, the booking page and reception show the same figure."""
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse

from ops.boards import selectors as boards
from ops.centres import bases as settings_bases
from ops.centres.models import AuditEntry, Base, CapacityDay, Event
from ops.centres.services import CentreSettingError
from ops.volunteers.models import Attendance, Booking
from ops.volunteers.rules import VolunteerError
from ops.volunteers.selectors import day_counts
from ops.volunteers.services import book, check_in, places
from tests import factories
from tests.conftest import run_together
from tests.volunteers.conftest import HEALTHY

pytestmark = pytest.mark.django_db


def _in(volunteer, centre, day, **kw):
    return check_in(volunteer, centre, on=day, health=HEALTHY, insurance_confirmed=True, **kw)


def _book(centre, day, n, **kw):
    return [book(factories.make_volunteer(), centre, on=day, **kw) for _ in range(n)]


def test_a_dates_capacity_replaces_the_standing_one_on_that_date_only(centre, tomorrow):
    settings_bases.set_capacity_day(centre, day=tomorrow, capacity=2, closed=False)
    _book(centre, tomorrow, 2)
    with pytest.raises(VolunteerError) as refused:
        book(factories.make_volunteer(), centre, on=tomorrow)
    assert refused.value.code == "full" and "定員（2人）" in refused.value.message
    assert places(centre, tomorrow).capacity == 2
    assert places(centre, tomorrow + timedelta(days=1)).capacity == 500
    book(factories.make_volunteer(), centre, on=tomorrow + timedelta(days=1))  # the next day is not touched


def test_a_weekend_may_take_more_than_the_standing_capacity(centre, tomorrow):
    centre.daily_capacity = 1
    centre.save()
    settings_bases.set_capacity_day(centre, day=tomorrow, capacity=3, closed=False)
    _book(centre, tomorrow, 3)
    assert places(centre, tomorrow).left == 0 and Booking.objects.count() == 3


def test_a_closed_day_refuses_bookings_and_check_ins_even_of_the_booked(centre, today, tomorrow):
    booked = book(factories.make_volunteer(), centre, on=tomorrow).volunteer
    settings_bases.set_capacity_day(centre, day=tomorrow, capacity=None, closed=True, note="点検のため")
    with pytest.raises(VolunteerError) as refused:
        book(factories.make_volunteer(), centre, on=tomorrow)
    assert refused.value.code == "closed_day" and "受付を休止します" in refused.value.message
    settings_bases.set_capacity_day(centre, day=today, capacity=None, closed=True)
    with pytest.raises(VolunteerError) as refused:
        _in(booked, centre, today)
    assert refused.value.code == "closed_day"
    assert not Attendance.objects.exists()
    taken = places(centre, tomorrow)
    assert (taken.closed, taken.capacity, taken.left) == (True, 0, 0)


def test_clearing_a_date_goes_back_to_the_standing_capacity(centre, tomorrow):
    row = settings_bases.set_capacity_day(centre, day=tomorrow, capacity=None, closed=True)
    settings_bases.clear_capacity_day(centre, pk=row.pk)
    assert not CapacityDay.objects.exists()
    assert places(centre, tomorrow).capacity == 500
    book(factories.make_volunteer(), centre, on=tomorrow)


def test_a_base_has_its_own_figure_per_date(centre, tomorrow):
    satellite = Base.objects.create(centre=centre, name="北サテライト", lat=36.6, lng=138.2, daily_capacity=10)
    settings_bases.set_capacity_day(centre, day=tomorrow, base=satellite, capacity=1, closed=False)
    book(factories.make_volunteer(), centre, on=tomorrow, base=satellite)
    with pytest.raises(VolunteerError) as refused:
        book(factories.make_volunteer(), centre, on=tomorrow, base=satellite)
    assert refused.value.code == "base_full" and "北サテライト" in refused.value.message
    book(factories.make_volunteer(), centre, on=tomorrow)  # the centre still has room
    later = tomorrow + timedelta(days=1)
    assert places(centre, later, satellite).base_capacity == 10
    settings_bases.set_capacity_day(centre, day=later, base=satellite, capacity=None, closed=True)
    with pytest.raises(VolunteerError) as refused:
        book(factories.make_volunteer(), centre, on=later, base=satellite)
    assert refused.value.code == "base_closed_day"
    book(factories.make_volunteer(), centre, on=later)  # the centre is open that day


def test_every_surface_shows_the_dates_figure(client, client_as, centre, tomorrow, today):
    day_after = tomorrow + timedelta(days=1)
    settings_bases.set_capacity_day(centre, day=tomorrow, capacity=7, closed=False)
    settings_bases.set_capacity_day(centre, day=day_after, capacity=None, closed=True)
    settings_bases.set_capacity_day(centre, day=today, capacity=4, closed=False)
    _book(centre, tomorrow, 2)
    snapshot_days = {d["date"]: d for d in boards.public_snapshot(centre)["days"]}
    assert (snapshot_days[tomorrow.isoformat()]["capacity"], snapshot_days[tomorrow.isoformat()]["left"]) == (7, 5)
    assert snapshot_days[day_after.isoformat()]["closed"] is True
    assert snapshot_days[day_after.isoformat()]["left"] == 0
    api = client.get(reverse("api:public_status", kwargs={"centre": centre.slug})).json()
    api_days = {d["date"]: d for d in api["days"]}
    assert (api_days[tomorrow.isoformat()]["capacity"], api_days[tomorrow.isoformat()]["left"]) == (7, 5)
    assert api_days[day_after.isoformat()]["closed"] is True
    board = client.get(reverse("boards:public", kwargs={"centre": centre.slug})).content.decode()
    assert "休止日" in board
    assert (day_counts(centre, today)["capacity"], day_counts(centre, today)["left"]) == (4, 4)
    volunteer = factories.make_volunteer()
    client.get(f"/v/{volunteer.token}/")
    page = client.get(reverse("volunteers:book", kwargs={"centre": centre.slug})).content.decode()
    assert f"{tomorrow.month}月{tomorrow.day}日（残り5人）" in page
    assert f"{day_after.month}月{day_after.day}日（休止日）" in page


def test_setting_a_date_is_audited_and_reloads_the_public_board(centre, tomorrow):
    admin = factories.make_user("admin", centre)
    settings_bases.set_capacity_day(centre, day=tomorrow, capacity=9, closed=False, note="土曜", by=admin)
    entry = AuditEntry.objects.get(action="capacity_day.set")
    assert entry.user == admin and "capacity" in entry.fields
    event = Event.objects.filter(centre=centre, kind="capacity.changed").get()
    assert event.public == {"capacity": {"date": tomorrow.isoformat()}}


@pytest.mark.parametrize("kwargs, field", [
    ({"capacity": None, "closed": False}, "capacity"),
    ({"capacity": -1, "closed": False}, "capacity"),
    ({"capacity": "many", "closed": False}, "capacity"),
    ({"capacity": 10, "closed": False, "note": "あ" * 201}, "note"),
])
def test_bad_figures_are_refused_and_nothing_is_written(centre, tomorrow, kwargs, field):
    with pytest.raises(CentreSettingError) as refused:
        settings_bases.set_capacity_day(centre, day=tomorrow, **kwargs)
    assert refused.value.field == field
    assert not CapacityDay.objects.exists() and not Event.objects.filter(kind="capacity.changed").exists()


def test_a_past_date_another_centres_base_or_a_retired_base_is_refused(centre, other_centre, today):
    with pytest.raises(CentreSettingError):
        settings_bases.set_capacity_day(centre, day=today - timedelta(days=1), capacity=5, closed=False)
    with pytest.raises(CentreSettingError):
        settings_bases.set_capacity_day(centre, day=today, base=other_centre.bases.get(), capacity=5, closed=False)
    satellite = Base.objects.create(centre=centre, name="旧サテライト", lat=36.6, lng=138.2)
    settings_bases.retire_base(satellite)
    with pytest.raises(CentreSettingError):
        settings_bases.set_capacity_day(centre, day=today, base=satellite, capacity=5, closed=False)
    assert not CapacityDay.objects.exists()


def test_the_capacity_page_sets_and_clears_a_date(client_as, centre, tomorrow):
    client = client_as("admin")
    url = reverse("centre_capacity", kwargs={"centre": centre.slug})
    response = client.post(url, {"date": tomorrow.isoformat(), "base": "", "capacity": "", "note": ""})
    assert response.status_code == 400 and "受入上限を入力するか、休止日にしてください。" in response.content.decode()
    assert not CapacityDay.objects.exists()
    response = client.post(url, {"date": tomorrow.isoformat(), "base": "", "capacity": "120", "note": "土曜"})
    assert response.status_code == 302
    row = CapacityDay.objects.get()
    assert (row.date, row.capacity, row.closed, row.base) == (tomorrow, 120, False, None)
    page = client.get(url).content.decode()
    assert "土曜" in page and "120" in page
    client.post(reverse("centre_capacity_clear", kwargs={"centre": centre.slug, "pk": row.pk}))
    assert not CapacityDay.objects.exists()


@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_a_dates_capacity_holds_under_simultaneous_bookings(centre, tomorrow):
    if connection.vendor != "postgresql":
        pytest.skip("races need PostgreSQL")
    settings_bases.set_capacity_day(centre, day=tomorrow, capacity=3, closed=False)
    volunteers = [factories.make_volunteer() for _ in range(8)]
    _, errors = run_together(8, lambda i: book(volunteers[i], centre, on=tomorrow))
    assert Booking.objects.filter(centre=centre, date=tomorrow).count() == 3
    refused = [e for e in errors if e is not None]
    assert len(refused) == 5 and all(isinstance(e, VolunteerError) and e.code == "full" for e in refused)


@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_check_ins_against_a_lowered_date_capacity_hold_under_a_race(centre, today):
    if connection.vendor != "postgresql":
        pytest.skip("races need PostgreSQL")
    settings_bases.set_capacity_day(centre, day=today, capacity=2, closed=False)
    volunteers = [factories.make_volunteer() for _ in range(6)]
    _, errors = run_together(6, lambda i: _in(volunteers[i], centre, today))
    assert Attendance.objects.filter(centre=centre, date=today).count() == 2
    assert sum(1 for e in errors if isinstance(e, VolunteerError) and e.code == "full") == 4


def test_the_api_refuses_a_check_in_on_a_closed_day_with_json(centre, today):
    from tests.api.conftest import API
    from tests.api.test_checkin import body, by_header

    settings_bases.set_capacity_day(centre, day=today, capacity=None, closed=True)
    response = by_header(factories.make_volunteer(), "en").post(f"{API}/volunteer/check-in/", body(centre),
                                                                format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "checkin_refused.closed_day"
    assert "closed on" in response.json()["detail"]
    assert not Attendance.objects.exists()
