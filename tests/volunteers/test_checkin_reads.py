"""The poster's check-in reads the centre, the phone's volunteer and their day in one query
(ops.volunteers.arrival), and the models it makes are the ORM's own: the 8:30 queue's hot path."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ops.centres.models import Base
from ops.sqlrows import insert
from ops.volunteers.arrival import arrival
from ops.volunteers.models import Attendance, Booking, Group
from ops.volunteers.services import capacity
from tests import factories
from tests.volunteers.conftest import CHECKIN_FORM

pytestmark = pytest.mark.django_db


def _statements(queries):
    """What the server would send, without the transaction's own commands (a test adds savepoints)."""
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
    return [q["sql"] for q in queries if not q["sql"].startswith(control)]


def test_the_check_in_page_costs_one_query(phone, centre, code):
    with CaptureQueriesContext(connection) as queries:
        response = phone.get(f"/p/{centre.slug}/checkin/{code}/")
    assert response.status_code == 200
    assert phone.volunteer.name in response.content.decode()
    assert len(_statements(queries)) == 1, _statements(queries)


def test_the_check_in_costs_three_statements_and_a_retry_one(phone, centre, code):
    url = f"/p/{centre.slug}/checkin/{code}/"
    with CaptureQueriesContext(connection) as queries:
        assert phone.post(url, CHECKIN_FORM).status_code == 303
    # the read, the attendance, and on PostgreSQL the event with the day's count under the centre's lock in
    # one round trip (ops.events.emit; elsewhere it takes four statements)
    assert len(_statements(queries)) == (3 if connection.vendor == "postgresql" else 6), _statements(queries)
    with CaptureQueriesContext(connection) as queries:
        assert phone.post(url, CHECKIN_FORM).status_code == 200  # the double tap: answered from the read
    assert len(_statements(queries)) == 1, _statements(queries)
    assert Attendance.objects.filter(volunteer=phone.volunteer).count() == 1


def test_arrival_reads_the_volunteers_own_day_at_this_centre(centre, other_centre, volunteer):

    today = centre.today()
    group = Group.objects.create(name="テスト建設", leader_name=volunteer.name, phone="090-0000-0000",
                                 member_count=8, leader=volunteer)
    volunteer.group = group
    volunteer.save(update_fields=["group"])
    mine = factories.make_attendance(centre, volunteer, date=today, health={"no_fever": True, "tetanus": "yes"})
    factories.make_attendance(other_centre, volunteer, date=today)  # elsewhere: not this centre's
    factories.make_attendance(centre, volunteer, date=today - timedelta(days=1))  # yesterday
    factories.make_attendance(centre, date=today)  # somebody else
    booking = Booking.objects.create(volunteer=volunteer, centre=centre, date=today, head_count=8)

    with CaptureQueriesContext(connection) as queries:
        found = arrival(centre.slug, volunteer.token)
        assert found.volunteer.is_group_leader  # the group came with the row
        assert found.attendance.centre.name == centre.name and found.attendance.volunteer is found.volunteer
    assert len(queries) == 1

    assert found.centre.pk == centre.pk and found.day == today
    assert found.centre.checkin_secret == centre.checkin_secret
    assert found.volunteer.pk == volunteer.pk and found.volunteer.group.member_count == 8
    assert found.attendance.pk == mine.pk
    assert found.attendance.health == {"no_fever": True, "tetanus": "yes"}  # the JSONField's own decoding
    assert found.attendance.checked_in_at == mine.checked_in_at
    assert found.booking.pk == booking.pk and found.booking.head_count == 8
    assert not found.attendance._state.adding


def test_arrival_without_a_known_phone_or_centre(centre, volunteer):
    assert arrival("no-such-centre", volunteer.token) is None
    for token in (None, "", "not-a-token"):
        found = arrival(centre.slug, token)
        assert found.centre.pk == centre.pk
        assert found.volunteer is None and found.attendance is None and found.booking is None


def test_arrival_does_not_know_an_erased_volunteer_or_a_cancelled_booking(centre, volunteer):
    from django.utils import timezone


    Booking.objects.create(volunteer=volunteer, centre=centre, date=centre.today(),
                           cancelled_at=timezone.now())
    assert arrival(centre.slug, volunteer.token).booking is None
    volunteer.personal_data_erased_at = timezone.now()
    volunteer.save(update_fields=["personal_data_erased_at"])
    assert arrival(centre.slug, volunteer.token).volunteer is None


def test_insert_writes_the_row_the_orm_reads_back(centre, volunteer):
    from django.utils import timezone

    attendance = Attendance(volunteer=volunteer, centre=centre, date=timezone.localdate(),
                            checked_in_at=timezone.now(), health={"no_fever": True}, head_count=3)
    insert(attendance)
    assert attendance.pk is not None and not attendance._state.adding
    stored = Attendance.objects.get(pk=attendance.pk)
    assert (stored.health, stored.head_count, stored.via, stored.insurance_confirmed) == \
        ({"no_fever": True}, 3, Attendance.Via.PHONE, False)


def test_the_day_count_without_a_base_is_the_count_with_one(centre, volunteer):

    day = centre.today()
    base = Base.objects.create(centre=centre, name="第2拠点", kind="satellite", lat=centre.lat, lng=centre.lng)
    factories.make_attendance(centre, date=day, head_count=5)
    factories.make_attendance(centre, date=day, base=base)
    Booking.objects.create(volunteer=volunteer, centre=centre, date=day, head_count=2)
    without, with_base = capacity.places(centre, day), capacity.places(centre, day, base)
    assert (without.capacity, without.used) == (with_base.capacity, with_base.used) == (centre.daily_capacity, 8)
    assert with_base.base_used == 1 and without.base_used == 0
