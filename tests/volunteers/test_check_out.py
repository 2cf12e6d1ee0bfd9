"""Check-out records the time and the hours served, once."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import check_out
from tests import factories
from tests.volunteers.conftest import events

pytestmark = pytest.mark.django_db


def test_check_out_records_time_and_hours(centre):
    start = timezone.now() - timedelta(hours=6, minutes=30)
    attendance = factories.make_attendance(centre, checked_in_at=start)
    out = check_out(attendance, at=start + timedelta(hours=6, minutes=30))
    assert out.hours == Decimal("6.50")
    assert out.checked_out_at == start + timedelta(hours=6, minutes=30)
    [event] = events(centre, "attendance.checked_out")
    assert event.payload["attendance"]["in"] is False
    assert event.payload["attendance"]["id"] == attendance.pk


def test_checking_out_twice_keeps_the_first_time(centre):
    start = timezone.now() - timedelta(hours=5)
    attendance = factories.make_attendance(centre, checked_in_at=start)
    check_out(attendance, at=start + timedelta(hours=4))
    again = check_out(attendance, at=start + timedelta(hours=5))
    assert again.hours == Decimal("4.00")
    assert again.created is False
    assert len(events(centre, "attendance.checked_out")) == 1


def test_check_out_before_check_in_is_refused(centre):
    attendance = factories.make_attendance(centre)
    with pytest.raises(VolunteerError):
        check_out(attendance, at=attendance.checked_in_at - timedelta(minutes=1))
    attendance.refresh_from_db()
    assert attendance.checked_out_at is None


def test_volunteer_checks_out_from_the_phone(phone, centre):
    attendance = factories.make_attendance(centre, phone.volunteer,
                                           checked_in_at=timezone.now() - timedelta(hours=3))
    response = phone.post(f"/v/{phone.volunteer.token}/checkout/{centre.slug}/", follow=True)
    assert "お疲れさまでした" in response.content.decode()
    attendance.refresh_from_db()
    assert attendance.checked_out_at is not None
    assert attendance.hours == Decimal("3.00")
