"""Races on real PostgreSQL: threads with their own connections, released together by a barrier."""
import pytest
from django.db import connection

from ops.centres.models import Event
from ops.volunteers.models import Attendance, Booking, Volunteer
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import book, check_in, register_volunteer
from tests import factories
from tests.conftest import run_together
from tests.volunteers.conftest import HEALTHY, details

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("races need PostgreSQL")


def test_twenty_simultaneous_check_ins_of_one_volunteer_make_one_attendance(centre, today):
    volunteer = factories.make_volunteer()
    results, errors = run_together(20, lambda i: check_in(volunteer, centre, on=today, health=HEALTHY,
                                                          insurance_confirmed=True, via="phone" if i % 2 else "staff"))
    assert errors == [None] * 20
    assert Attendance.objects.filter(volunteer=volunteer).count() == 1
    assert len({r.pk for r in results}) == 1
    assert sum(1 for r in results if r.created) == 1
    assert Event.objects.filter(centre=centre, kind="attendance.checked_in").count() == 1


def test_capacity_holds_under_simultaneous_check_ins(centre, today):
    n = 5
    centre.daily_capacity = n
    centre.save()
    volunteers = [factories.make_volunteer() for _ in range(2 * n)]
    results, errors = run_together(2 * n, lambda i: check_in(volunteers[i], centre, on=today, health=HEALTHY,
                                                              insurance_confirmed=True))
    assert Attendance.objects.filter(centre=centre, date=today).count() == n
    refused = [e for e in errors if e is not None]
    assert len(refused) == n and all(isinstance(e, VolunteerError) and e.code == "full" for e in refused)


def test_capacity_holds_under_simultaneous_bookings(centre, tomorrow):
    n = 4
    centre.daily_capacity = n
    centre.save()
    volunteers = [factories.make_volunteer() for _ in range(2 * n)]
    _, errors = run_together(2 * n, lambda i: book(volunteers[i], centre, on=tomorrow))
    assert Booking.objects.filter(centre=centre, date=tomorrow).count() == n
    assert sum(1 for e in errors if isinstance(e, VolunteerError)) == n


def test_a_double_tapped_registration_makes_one_volunteer(centre):
    results, errors = run_together(10, lambda i: register_volunteer(centre=centre, **details()))
    assert errors == [None] * 10
    assert Volunteer.objects.count() == 1
    assert sum(1 for r in results if r.created) == 1


def test_refused_check_ins_leave_no_gap_in_the_event_sequence(centre, today):
    """The check-in takes its event number before it counts the day; a refusal (full) must roll the number
    back with the attendance, or boards would see a gap for nothing and reload."""
    n = 4
    centre.daily_capacity = n
    centre.save()
    volunteers = [factories.make_volunteer() for _ in range(3 * n)]
    _, errors = run_together(3 * n, lambda i: check_in(volunteers[i], centre, on=today, health=HEALTHY,
                                                        insurance_confirmed=True))
    assert sum(1 for e in errors if isinstance(e, VolunteerError) and e.code == "full") == 2 * n
    seqs = list(Event.objects.filter(centre=centre).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert Event.objects.filter(centre=centre, kind="attendance.checked_in").count() == n
    centre.refresh_from_db()
    assert centre.event_seq == len(seqs)
