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


def test_check_out_keeps_what_the_return_report_recorded(centre):
    """Attendance hours are the time at the centre (check-in to check-out); the team's work hours stay on its
    return report and count as people × hours in the daily report."""
    from datetime import time

    from ops.dispatch.services import dispatch, file_return_report, form_team
    from ops.reports.figures import daily_figures

    today = centre.today()
    start = centre.at(today, time(8, 30))
    members = [factories.make_attendance(centre, date=today, checked_in_at=start) for _ in range(2)]
    team = form_team(centre=centre, on=today, members=members, leader=members[0])
    record = dispatch(team, factories.make_need(centre, status="ready", people_needed=2),
                      at=centre.at(today, time(9, 0)))
    report = file_return_report(record, outcome="completed", people=2, hours="3")
    for member in members:
        member.refresh_from_db()
        assert member.hours is None  # not the report's 3.00, which check-out would then overwrite
        check_out(member, at=start + timedelta(hours=4, minutes=15))
        member.refresh_from_db()
        assert member.hours == Decimal("4.25")
    report.refresh_from_db()
    assert report.hours == Decimal("3.00")
    hours = daily_figures(centre, today)["hours"]
    assert hours["attendance"]["today"] == 8.5 and hours["reported"]["today"] == 6.0
