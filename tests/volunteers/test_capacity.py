"""Capacity per day and per base: bookings and walk-ins count; a full day says so; booked people get in."""
import pytest

from ops.centres.models import Base
from ops.volunteers.models import Attendance
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import book, check_in, places
from tests import factories
from tests.volunteers.conftest import CHECKIN_FORM, HEALTHY

pytestmark = pytest.mark.django_db


def _in(volunteer, centre, day, **kw):
    return check_in(volunteer, centre, on=day, health=HEALTHY, insurance_confirmed=True, **kw)


def test_walk_ins_stop_when_the_day_is_full(centre, today):
    centre.daily_capacity = 2
    centre.save()
    _in(factories.make_volunteer(), centre, today)
    _in(factories.make_volunteer(), centre, today)
    with pytest.raises(VolunteerError) as err:
        _in(factories.make_volunteer(), centre, today)
    assert err.value.code == "full"
    assert "定員（2人）に達しました" in err.value.message
    assert Attendance.objects.count() == 2


def test_bookings_take_places_from_walk_ins(centre, today, tomorrow):
    centre.daily_capacity = 2
    centre.save()
    book(factories.make_volunteer(), centre, on=tomorrow)
    book(factories.make_volunteer(), centre, on=tomorrow)
    assert places(centre, tomorrow).left == 0
    with pytest.raises(VolunteerError) as err:
        book(factories.make_volunteer(), centre, on=tomorrow)
    assert err.value.code == "full"


def test_a_booked_volunteer_gets_in_on_a_full_day(centre, today):
    centre.daily_capacity = 1
    centre.save()
    booked = factories.make_volunteer()
    from ops.volunteers.models import Booking

    # Made directly: booking through the service opens from tomorrow.
    Booking.objects.create(volunteer=booked, centre=centre, date=today)
    with pytest.raises(VolunteerError):
        _in(factories.make_volunteer(), centre, today)  # the one place is held
    assert _in(booked, centre, today).created


def test_a_checked_in_booking_is_not_counted_twice(centre, today):
    from ops.volunteers.models import Booking

    centre.daily_capacity = 2
    centre.save()
    booked = factories.make_volunteer()
    Booking.objects.create(volunteer=booked, centre=centre, date=today)
    _in(booked, centre, today)
    assert places(centre, today).used == 1
    assert _in(factories.make_volunteer(), centre, today).created


def test_capacity_per_base(centre, today):
    satellite = Base.objects.create(centre=centre, name="北サテライト", lat=0, lng=0, daily_capacity=1)
    _in(factories.make_volunteer(), centre, today, base=satellite)
    with pytest.raises(VolunteerError) as err:
        _in(factories.make_volunteer(), centre, today, base=satellite)
    assert err.value.code == "base_full"
    assert "北サテライト" in err.value.message
    assert _in(factories.make_volunteer(), centre, today).created  # headquarters still has room


def test_a_group_counts_by_head(centre, today):
    from ops.volunteers.services import register_group

    centre.daily_capacity = 10
    centre.save()
    group = register_group(centre=centre, name="株式会社テスト", leader_name="佐藤 一郎", leader_kana="サトウ イチロウ",
                           phone="090-1111-2222", member_count=8, age_band="40s", prefecture="長野県",
                           city="長野市")
    attendance = _in(group.leader, centre, today, head_count=8)
    assert attendance.head_count == 8
    assert places(centre, today).used == 8
    _in(factories.make_volunteer(), centre, today)
    _in(factories.make_volunteer(), centre, today)
    with pytest.raises(VolunteerError):
        _in(factories.make_volunteer(), centre, today)


def test_only_a_group_leader_checks_in_several_people(centre, volunteer, today):
    with pytest.raises(VolunteerError) as err:
        _in(volunteer, centre, today, head_count=5)
    assert err.value.code == "head_count"


def test_capacity_full_page_message_on_the_phone(phone, centre, code):
    centre.daily_capacity = 0
    centre.save()
    response = phone.post(f"/p/{centre.slug}/checkin/{code}/", CHECKIN_FORM)
    assert response.status_code == 409
    assert "定員" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_booking_at_a_base_holds_that_bases_place(centre, today):
    from ops.volunteers.models import Booking

    satellite = Base.objects.create(centre=centre, name="北サテライト", lat=0, lng=0, daily_capacity=1)
    booked = factories.make_volunteer()
    Booking.objects.create(volunteer=booked, centre=centre, date=today, base=satellite)
    with pytest.raises(VolunteerError) as err:
        _in(factories.make_volunteer(), centre, today, base=satellite)
    assert err.value.code == "base_full"
    attendance = _in(booked, centre, today)  # scanning the main poster: their booking says where
    assert attendance.base == satellite
