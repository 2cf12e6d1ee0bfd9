""""Volunteers today" and "places left" read the same on every surface: reception, the staff board, the public
board and its JSON, the API's figures and the 日報 (HTML, PDF, XLSX).

Volunteers today (本日の活動者数) are the people checked in today, by head count (a group checked in as one
attendance of 12 is 12 people), including those who have already gone home. Beside it: still in (活動中), of
them out with a team not yet back (現場（未帰着）), and checked out (活動終了). Places left on a day are the
booking service's own `Places`: capacity less people checked in less booked people not yet arrived.
"""
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ops.boards import selectors as boards
from ops.centres.models import Role
from ops.dispatch.models import Team
from ops.reports import building, render, xlsx
from ops.reports.figures import daily_figures, trend
from ops.volunteers.models import Attendance, Booking
from ops.volunteers.selectors import day_counts
from ops.volunteers.services import book, cancel_booking, check_in, check_out, places, register_group
from tests import factories
from tests.api.conftest import API
from tests.reports.test_build_and_send import _pdf_text as pdf_text
from tests.volunteers.conftest import HEALTHY

pytestmark = pytest.mark.django_db


def _group(centre, *, members=12, on=None, prefecture="長野県", city="松本市"):
    return register_group(centre=centre, name="松本建設", leader_name="代表 一郎", leader_kana="ダイヒョウ イチロウ",
                          phone="090-1111-2222", member_count=members, age_band="40s", prefecture=prefecture,
                          city=city, on=on)


def _in(volunteer, centre, day, heads=1):
    return check_in(volunteer, centre, on=day, health=HEALTHY, insurance_confirmed=True, head_count=heads)


def _number(html: str, attribute: str) -> int:
    """The number shown in the element with `attribute` (or in the first element inside it)."""
    match = re.search(rf'{re.escape(attribute)}[^>]*>\s*(?:<[^>]+>\s*)*([\d,]+)', html)
    assert match, attribute
    return int(match.group(1).replace(",", ""))


def _a_day_with_a_group(centre):
    """A group of 12, one person gone home, one out with a team that is not back, one at the centre: 15."""
    today = centre.today()
    _in(_group(centre).leader, centre, today, heads=12)
    check_out(_in(factories.make_volunteer(), centre, today))
    away = _in(factories.make_volunteer(), centre, today)
    team = Team.objects.create(centre=centre, date=today, number=1, status=Team.Status.DISPATCHED)
    Attendance.objects.filter(pk=away.pk).update(team=team)
    _in(factories.make_volunteer(), centre, today)
    return today


def test_a_group_of_12_counts_12_volunteers_today_on_every_surface(client_as, client, centre, settings, tmp_path):
    today = _a_day_with_a_group(centre)
    expected = {"checked_in": 15, "in": 14, "out": 1, "not_back": 1}

    # Reception: its counts and its page.
    assert {k: day_counts(centre, today)[k] for k in expected} == expected
    page = client_as(Role.RECEPTION).get(reverse("volunteers:reception", kwargs={"centre": centre.slug}))
    assert _number(page.content.decode(), 'data-count="checked_in"') == 15
    # The staff board: its snapshot and its page.
    assert boards.staff_snapshot(centre)["counts"]["volunteers"] == expected
    page = client_as(Role.VIEWER).get(reverse("boards:staff", kwargs={"centre": centre.slug})).content.decode()
    assert _number(page, 'data-count="volunteers.checked_in"') == 15
    # The public board, its JSON and the API's public status.
    client.logout()
    assert boards.public_snapshot(centre)["counters"]["volunteers_today"] == 15
    assert _number(client.get(f"/p/{centre.slug}/").content.decode(), 'data-field="volunteers_today"') == 15
    assert client.get(f"/p/{centre.slug}/board.json").json()["counters"]["volunteers_today"] == 15
    assert client.get(f"{API}/public/centres/{centre.slug}/status/").json()["counters"]["volunteers_today"] == 15
    # The 日報: its figures, the API's figures, the trend, and the HTML, PDF and XLSX built from them.
    figures = daily_figures(centre, today)
    assert figures["volunteers"]["today"]["total"] == 15
    assert trend(centre, today)[-1]["volunteers"] == 15
    api = client_as(Role.LEADER).get(f"{API}/centres/{centre.slug}/figures/").json()
    assert api["volunteers"]["today"]["total"] == 15
    html = render.render_daily_html(figures)
    assert _number(html, 'data-figure="volunteers.today.total"') == 15
    workbook = load_workbook(io.BytesIO(xlsx.render_daily_xlsx(figures, trend(centre, today))))
    summary = {row[0]: row[1:] for row in workbook["概要"].iter_rows(values_only=True)}
    assert summary["ボランティア: 活動者数"][0] == 15
    assert list(workbook["推移"].iter_rows(min_row=2, values_only=True))[-1][1] == 15
    settings.MEDIA_ROOT = str(tmp_path)
    report = building.build_daily_report(centre_id=centre.pk, day=today)
    assert report.figures["volunteers"]["today"]["total"] == 15
    assert re.search(r"合計\s+15\s", pdf_text(report.pdf.path))  # the first table: volunteers
    # Every one of them asks the same function.
    assert Attendance.objects.heads_on(centre, today) == expected


def test_volunteers_today_are_the_same_words_on_reception_and_the_staff_board(client_as, centre):
    _a_day_with_a_group(centre)
    reception = client_as(Role.RECEPTION).get(reverse("volunteers:reception", kwargs={"centre": centre.slug}))
    board = client_as(Role.VIEWER).get(reverse("boards:staff", kwargs={"centre": centre.slug}))
    for words in ("本日の活動者数", "活動中", "現場（未帰着）", "活動終了"):
        assert words in reception.content.decode() and words in board.content.decode(), words


def test_places_left_are_the_booking_services_places_on_the_public_json(client, centre):
    centre.daily_capacity = 10
    centre.save()
    tomorrow = centre.today() + timedelta(days=1)
    _group(centre, members=8, on=tomorrow)
    assert places(centre, tomorrow).left == 2

    for body in (client.get(f"/p/{centre.slug}/board.json").json(),
                 client.get(f"{API}/public/centres/{centre.slug}/status/").json()):
        day = next(d for d in body["days"] if d["date"] == tomorrow.isoformat())
        assert (day["capacity"], day["booked"], day["left"]) == (10, 8, 2)
    page = client.get(f"/p/{centre.slug}/").content.decode()
    assert re.search(rf'data-date="{tomorrow.isoformat()}".*?<td>10</td>\s*<td>2</td>', page, re.S)


def test_places_left_on_the_day_count_people_in_and_booked_people_not_yet_here(centre):
    today = centre.today()
    centre.daily_capacity = 30
    centre.save()
    group = _group(centre)
    Booking.objects.create(volunteer=group.leader, centre=centre, date=today, head_count=12)
    arrived = factories.make_volunteer()
    Booking.objects.create(volunteer=arrived, centre=centre, date=today)
    _in(arrived, centre, today)
    Booking.objects.create(volunteer=factories.make_volunteer(), centre=centre, date=today,
                           cancelled_at=timezone.now())
    _in(factories.make_volunteer(), centre, today)

    # 2 people in, 12 booked and not here yet (the arrived booking counts once, the cancelled one not at all).
    counts = day_counts(centre, today)
    assert (counts["checked_in"], counts["booked_waiting"], counts["left"]) == (2, 12, 16)
    assert places(centre, today).left == 30 - 2 - 12
    assert Attendance.objects.heads_on(centre, today)["checked_in"] == 2
    assert Booking.objects.heads_waiting(centre, today) == 12
    assert Booking.objects.heads_booked(centre, today) == 13


def test_booked_tomorrow_in_the_report_counts_people(centre):
    tomorrow = centre.today() + timedelta(days=1)
    _group(centre, members=8, on=tomorrow)
    cancelled = book(factories.make_volunteer(), centre, on=tomorrow)
    cancel_booking(cancelled)
    book(factories.make_volunteer(), centre, on=tomorrow)
    assert daily_figures(centre, centre.today())["recruitment"]["booked_tomorrow"] == 9
    assert Booking.objects.heads_booked(centre, tomorrow) == 9
