# ruff: noqa: F811  (the fixtures imported from conftest_overview are the tests' arguments)
"""The prefecture's overview (/pref/<d>/) and its polled JSON: who may open them, and that every figure is the
roll-up's (each centre's 日報 figures), with today's and tomorrow's places from the one home of places."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ops.centres.models import Centre, Suspension
from ops.prefecture.selectors import overview
from ops.reports.rollup import ROLLUP_KEYS, rollup_figures
from ops.volunteers.models import Attendance, Booking
from ops.volunteers.services.capacity import places
from tests.factories import make_centre
from tests.prefecture.conftest_overview import as_member, pref  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
PAGES = ("prefecture:overview", "prefecture:figures", "prefecture:recruitment", "prefecture:district_map",
         "prefecture:district_needs", "prefecture:staff")


@pytest.mark.parametrize("name", PAGES)
def test_who_may_open_the_prefecture_pages(client, pref, name):
    url = reverse(name, kwargs={"disaster": pref.disaster.pk})
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    for refused in (pref.centre_staff, pref.elsewhere):
        client.force_login(refused)
        assert client.get(url).status_code == 403, refused
    for allowed in (pref.member, pref.admin):
        client.force_login(allowed)
        assert client.get(url).status_code == 200, allowed


def test_an_unknown_disaster_is_a_404(as_member):
    assert as_member.get("/pref/999999/").status_code == 404


def test_every_figure_is_the_rollups(pref):
    data = overview(pref.disaster)
    rollup = rollup_figures(pref.disaster, data["date"])
    assert [r["centre"].pk for r in data["rows"]] == [c["centre_id"] for c in rollup["centres"]]
    for row, theirs in zip(data["rows"], rollup["centres"], strict=True):
        assert {k: row["figures"][k] for k in ROLLUP_KEYS} == {k: theirs[k] for k in ROLLUP_KEYS}
    assert {k: data["totals"][k] for k in ROLLUP_KEYS} == rollup["totals"]
    a, b = data["rows"]
    # what the centre's own surfaces show: people by head count (a group of four is four)
    assert a["figures"]["volunteers_today"] == Attendance.objects.heads_on(pref.a, data["date"])["checked_in"] == 3
    assert b["figures"]["volunteers_today"] == Attendance.objects.heads_on(pref.b, data["date"])["checked_in"] == 4
    tomorrow = data["date"] + timedelta(days=1)
    assert (a["booked_tomorrow"], b["booked_tomorrow"]) == (Booking.objects.heads_booked(pref.a, tomorrow), 1) == (2, 1)
    assert a["places_today"] == places(pref.a, data["date"]).left == 30 - 3
    assert a["places_tomorrow"] == places(pref.a, tomorrow).left == 30 - 2
    assert b["places_today"] == 20 - 4
    # needs: received to date, open (not done or withdrawn), waiting for a team, done
    assert (a["figures"]["needs_received_cumulative"], a["needs_open"], a["figures"]["needs_waiting"],
            a["figures"]["needs_completed_cumulative"]) == (7, 5, 2, 1)
    assert (b["needs_open"], b["figures"]["needs_waiting"], b["figures"]["needs_continuing"]) == (3, 2, 1)
    assert data["totals"]["needs_open"] == 8 and data["totals"]["volunteers_today"] == 7


def test_closed_centres_come_last_marked_and_outside_the_totals(pref, as_member):
    closed = make_centre(disaster=pref.disaster, name="丙村災害ボランティアセンター（閉所）", status=Centre.Status.CLOSED,
                         closed_on=pref.a.today() - timedelta(days=3))
    data = overview(pref.disaster)
    assert [r["centre"].pk for r in data["rows"]][-1] == closed.pk
    assert data["rows"][-1]["closed"] and not data["rows"][-1]["counted"]
    assert data["rows"][-1]["places_today"] is None
    rollup = rollup_figures(pref.disaster, data["date"])
    assert {k: data["totals"][k] for k in ROLLUP_KEYS} == rollup["totals"]
    page = as_member.get(reverse("prefecture:overview", kwargs={"disaster": pref.disaster.pk})).content.decode()
    assert "集約の対象外" in page and page.index("乙町") < page.index("丙村")


def test_todays_suspension_is_on_the_row(pref, as_member):
    Suspension.objects.create(centre=pref.b, date=pref.b.today(), reason="weather")
    data = overview(pref.disaster)
    assert data["rows"][0]["suspension"] is None and data["rows"][1]["suspension"] is not None
    page = as_member.get(reverse("prefecture:overview", kwargs={"disaster": pref.disaster.pk})).content.decode()
    assert "本日活動中止" in page


def test_the_polled_json_holds_the_pages_numbers(pref, as_member):
    answer = as_member.get(reverse("prefecture:figures", kwargs={"disaster": pref.disaster.pk}))
    assert answer["Content-Type"].startswith("application/json")
    data = answer.json()
    by_id = {c["id"]: c for c in data["centres"]}
    assert by_id[pref.a.pk]["volunteers_today"] == 3 and by_id[pref.b.pk]["volunteers_today"] == 4
    assert by_id[pref.a.pk]["needs_open"] == 5 and by_id[pref.a.pk]["booked_tomorrow"] == 2
    assert data["totals"]["volunteers_today"] == 7 and data["totals"]["needs_received"] == 10
    assert by_id[pref.a.pk]["recruitment"] == pref.a.get_recruitment_status_display()


def test_the_overview_reads_what_the_rollup_reads_and_a_few_more(pref, as_member, django_assert_max_num_queries):
    """No per-centre reads beyond the roll-up's own (each centre's 日報 figures) but three (places today and
    tomorrow, the day's suspension), and a few for the request (session, user, membership, centres): measured
    61 for these two centres, of which the roll-up itself is 49."""
    with CaptureQueriesContext(connection) as rollup:
        rollup_figures(pref.disaster, pref.a.today())
    url = reverse("prefecture:figures", kwargs={"disaster": pref.disaster.pk})
    with django_assert_max_num_queries(len(rollup) + 3 * 2 + 6):
        assert as_member.get(url).status_code == 200


def test_the_overview_in_english(pref, as_member, settings):
    as_member.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = as_member.get(reverse("prefecture:overview", kwargs={"disaster": pref.disaster.pk})).content.decode()
    for words in ("Volunteers today", "Places left tomorrow", "Last updated", "Recruitment across centres",
                  "Leave unchanged"):
        assert words in page, words
