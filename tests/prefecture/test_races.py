"""Allocating, applying and cancelling at the same moment, on real PostgreSQL: every place is given once, no
application is left undecided, nobody holds two places on one day."""
from datetime import timedelta

import pytest
from django.db import connection

from ops.prefecture.models import Application, Offering
from ops.prefecture.services.allocation import allocate
from ops.prefecture.services.offerings import apply, cancel_application, open_offering
from ops.volunteers.models import Booking
from tests import factories
from tests.conftest import run_together

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL (make test)")


def offered(places_n=10, disaster=None, **kw):
    centre = factories.make_centre(daily_capacity=100, disaster=disaster or factories.make_disaster())
    return open_offering(centre, on=centre.today() + timedelta(days=1), places_n=places_n, **kw)


def test_six_allocations_at_once_give_each_place_once():
    offering = offered(10)
    for _ in range(25):
        apply(factories.make_volunteer(), offering)
    results, errors = run_together(6, lambda i: allocate(offering.pk))
    assert errors == [None] * 6
    assert sum(not r.already for r in results) == 1
    assert Booking.objects.filter(centre=offering.centre, date=offering.date, cancelled_at__isnull=True).count() == 10
    ranks = list(Application.objects.filter(offering=offering).values_list("rank", flat=True))
    assert sorted(ranks) == list(range(1, 26))


def test_applications_racing_the_allocation_are_all_decided():
    offering = offered(10, method=Offering.Method.FIRST_COME)
    for _ in range(8):
        apply(factories.make_volunteer(), offering)
    late = [factories.make_volunteer() for _ in range(7)]

    def act(i):
        if i == 0:
            return allocate(offering.pk)
        return apply(late[i - 1], Offering.objects.get(pk=offering.pk))

    _results, errors = run_together(8, act)
    assert errors == [None] * 8
    statuses = list(Application.objects.filter(offering=offering).values_list("status", flat=True))
    assert len(statuses) == 15 and "applied" not in statuses
    assert statuses.count("allocated") == 10 and statuses.count("waiting") == 5
    assert Booking.objects.filter(centre=offering.centre, date=offering.date, cancelled_at__isnull=True).count() == 10


def test_cancellations_at_once_move_the_waiting_list_without_overfilling():
    offering = offered(5, method=Offering.Method.FIRST_COME)
    apps = [apply(factories.make_volunteer(), offering) for _ in range(12)]
    allocate(offering.pk)
    holders = [a for a in apps if Application.objects.get(pk=a.pk).status == "allocated"]
    _results, errors = run_together(4, lambda i: cancel_application(holders[i]))
    assert errors == [None] * 4
    assert Application.objects.filter(offering=offering, status="allocated").count() == 5
    assert Booking.objects.filter(centre=offering.centre, date=offering.date, cancelled_at__isnull=True).count() == 5
    moved_up = Application.objects.filter(offering=offering, status="allocated").order_by("rank")
    assert [a.rank for a in moved_up] == [5, 6, 7, 8, 9]  # the waiting list in its order


def test_one_person_applying_at_two_centres_for_one_day_at_once_holds_one():
    disaster = factories.make_disaster()
    here, there = offered(5, disaster=disaster), offered(5, disaster=disaster)
    volunteer = factories.make_volunteer()
    results, errors = run_together(2, lambda i: apply(volunteer, (here, there)[i]))
    assert sum(e is None for e in errors) == 1
    refused = next(e for e in errors if e is not None)
    assert getattr(refused, "code", None) == "same_day"
    assert Application.objects.live().filter(volunteer=volunteer).count() == 1


def test_a_volunteer_cancelling_on_two_pages_at_once_frees_one_place():
    """The personal page's 取消 (cancel_application) and reception's cancellation of the booking
    (cancel_booking) of the same place at once: no deadlock, one place freed, the next on the list moves up."""
    from ops.volunteers.services.booking import cancel_booking

    offering = offered(3, method=Offering.Method.FIRST_COME)
    apps = [apply(factories.make_volunteer(), offering) for _ in range(5)]
    allocate(offering.pk)
    pairs = [Application.objects.get(pk=a.pk) for a in apps[:3]]

    def act(i):
        application = pairs[i // 2]
        if i % 2:
            return cancel_booking(Booking.objects.get(pk=application.booking_id))
        return cancel_application(application)

    _results, errors = run_together(6, act)
    assert errors == [None] * 6
    assert Application.objects.filter(offering=offering, status="allocated").count() == 2  # 2 left on the list
    assert Booking.objects.filter(centre=offering.centre, date=offering.date, cancelled_at__isnull=True).count() == 2
