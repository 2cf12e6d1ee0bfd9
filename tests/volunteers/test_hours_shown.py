"""Hours read as hours and minutes wherever a person sees them ("3時間30分", "7分"), never as decimals."""
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ops.dispatch.services import dispatch, file_return_report, form_team
from ops.reports.figures import daily_figures
from ops.reports.render import render_daily_html
from ops.volunteers.certificate import certificate_context
from ops.volunteers.services import check_out
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("hours", "ja", "en"), [
    (Decimal("3.50"), "3時間30分", "3 h 30 min"),
    (Decimal("3.00"), "3時間", "3 h"),
    (Decimal("0.11"), "7分", "7 min"),  # 6 min 40 s
    (Decimal("0.33"), "20分", "20 min"),  # 20 minutes, stored to 0.01 h
    (Decimal("0"), "0分", "0 min"),
    (1520.5, "1,520時間30分", "1,520 h 30 min"),  # the daily report's cumulative figures are floats
])
def test_a_duration_reads_in_hours_and_minutes_in_both_languages(hours, ja, en):
    from ops.wording import duration

    with translation.override("ja"):
        assert duration(hours) == ja
    with translation.override("en"):
        assert duration(hours) == en


def test_no_duration_reads_as_nothing():
    from ops.wording import duration

    assert duration(None) == "" and duration("") == ""


def checked_out(centre, minutes, seconds=0, volunteer=None):
    start = centre.now() - timedelta(minutes=minutes + 1)
    attendance = factories.make_attendance(centre, volunteer, date=centre.today(), checked_in_at=start)
    return check_out(attendance, at=start + timedelta(minutes=minutes, seconds=seconds))


def test_check_out_shows_minutes_not_decimal_hours(reception_client, centre):
    attendance = checked_out(centre, 6, 40)
    assert attendance.hours == Decimal("0.11")
    card = reception_client.get(reverse("volunteers:card", kwargs={"centre": centre.slug,
                                                                   "pk": attendance.volunteer_id}))
    roster = reception_client.get(reverse("volunteers:roster", kwargs={"centre": centre.slug}))
    for page in (card.content.decode(), roster.content.decode()):
        assert "7分" in page
        assert "0.11" not in page


def test_the_phone_shows_the_time_at_the_centre_in_hours_and_minutes(client, centre):
    volunteer = factories.make_volunteer()
    checked_out(centre, 3 * 60 + 30, volunteer=volunteer)
    page = client.get(f"/v/{volunteer.token}/").content.decode()
    assert "3時間30分" in page and "3.5" not in page


def test_the_certificate_says_which_hours_and_shows_them_in_hours_and_minutes(centre):
    volunteer = factories.make_volunteer()
    for days_ago, minutes in ((2, 6 * 60), (1, 5 * 60 + 30)):
        day = centre.today() - timedelta(days=days_ago)
        start = centre.at(day, time(8, 30))
        factories.make_attendance(centre, volunteer, date=day, checked_in_at=start,
                                  checked_out_at=start + timedelta(minutes=minutes),
                                  hours=Decimal(minutes) / 60)
    html = render_to_string("volunteers/certificate.html", certificate_context(volunteer, centre))
    assert "11時間30分" in html and "5時間30分" in html and "6時間" in html
    assert "11.5" not in html and "5.50" not in html
    assert "受付から活動終了まで" in html


def test_the_daily_report_shows_both_kinds_of_hours_in_hours_and_minutes(centre):
    today = centre.today()
    start = centre.at(today, time(8, 30))
    members = [factories.make_attendance(centre, date=today, checked_in_at=start) for _ in range(2)]
    team = form_team(centre=centre, on=today, members=members, leader=members[0])
    record = dispatch(team, factories.make_need(centre, status="ready", people_needed=2),
                      at=centre.at(today, time(9, 0)))
    file_return_report(record, outcome="completed", people=2, hours="2.25")
    for member in members:
        check_out(member, at=start + timedelta(hours=4, minutes=15))
    html = render_daily_html(daily_figures(centre, today))
    assert "8時間30分" in html  # 2 × 4 h 15 min at the centre
    assert "4時間30分" in html  # 2 people × 2 h 15 min of work reported
    assert "8.5" not in html and "4.5" not in html
    assert "受付から活動終了まで" in html and "人数×時間" in html
