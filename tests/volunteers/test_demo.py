"""The demo seed fills the pages and adds nothing when run again."""
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.centres import demo as centre_demo
from ops.volunteers import demo
from ops.volunteers.models import Attendance, Booking, Group, Volunteer

pytestmark = pytest.mark.django_db


def _counts():
    return (Volunteer.objects.count(), Attendance.objects.count(), Booking.objects.count(), Group.objects.count())


def test_demo_seed_is_realistic_and_idempotent():
    today = timezone.localdate()
    centre = centre_demo.seed(today)
    demo.seed(centre, today)
    volunteers, attendances, bookings, groups = _counts()
    assert volunteers >= 60 and groups == 2
    assert attendances >= 45
    assert Attendance.objects.filter(date=today, checked_out_at__isnull=False).count() >= 5
    assert Booking.objects.filter(date=today + timedelta(days=1)).count() >= 10
    demo.seed(centre, today)
    assert _counts() == (volunteers, attendances, bookings, groups)
