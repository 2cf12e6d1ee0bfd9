"""A day outside the years the system can mean (2000–2099) is a typing mistake or a probe, never a 500:
staff pages fall back to today and say so, report pages are not found, the API answers 400 with its JSON error
(issue 17: `?date=9999-12-31` on the roster and bookings pages gave a 500)."""
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ops import days
from ops.centres.models import Role

pytestmark = pytest.mark.django_db

FAR = ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01", "2026-02-30", "x" * 200]


def test_parse_day_reads_only_days_in_range():
    assert days.parse_day("2026-07-06") == date(2026, 7, 6)
    assert days.parse_day("2000-01-01") == days.FIRST_DAY and days.parse_day("2099-12-31") == days.LAST_DAY
    assert [days.parse_day(v) for v in [*FAR, "", None, "2026-7-6\x00"]] == [None] * (len(FAR) + 3)


@pytest.mark.parametrize("page", ["roster", "bookings", "poster"])
@pytest.mark.parametrize("value", FAR)
def test_reception_pages_show_today_for_a_day_out_of_range(client_as, centre, page, value):
    response = client_as(Role.RECEPTION).get(reverse(f"volunteers:{page}", kwargs={"centre": centre.slug}),
                                             {"date": value})
    assert response.status_code == 200
    default = centre.today() if page != "bookings" else days.add(centre.today(), 1)
    assert response.context["day"] == default
    assert any("日付" in str(m) for m in get_messages(response.wsgi_request)), "the page says it ignored the day"


@pytest.mark.parametrize("page", ["roster", "bookings"])
def test_the_last_day_in_range_has_no_link_past_it(client_as, centre, page):
    response = client_as(Role.RECEPTION).get(reverse(f"volunteers:{page}", kwargs={"centre": centre.slug}),
                                             {"date": "2099-12-31"})
    assert response.status_code == 200 and response.context["day"] == days.LAST_DAY
    assert response.context["next"] is None


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2100-01-01"])
def test_report_pages_for_a_day_out_of_range_are_not_found(client_as, centre, value):
    client = client_as(Role.LEADER)
    base = f"/c/{centre.slug}/reports/{value}/"
    for path in (base, base + "pdf/", f"/c/{centre.slug}/reports/rollup/{value}/xlsx/"):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("name", ["figures", "teams", "dispatches"])
def test_api_refuses_a_day_out_of_range_with_its_json_error(client_as, centre, name):
    client = client_as(Role.COORDINATOR)
    response = client.get(reverse(f"api:{name}", kwargs={"centre": centre.slug}), {"date": "9999-12-31"})
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == 400
