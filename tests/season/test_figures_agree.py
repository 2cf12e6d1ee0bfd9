"""Every figure shown on more than one surface reads the same number on each, over a season made by the real
services: reception, the staff board (page and snapshot), the public board (page, JSON, the API's public
status), the API's figures, the 日報 page and the report built from it (HTML, PDF, XLSX).

Each surface is read the way its reader reads it (the page's own markup, the JSON a program gets, the PDF's
text, the workbook's cells), never from the function behind it, so a template or serialiser that counts on
its own shows here. The season has groups checked in by head count, teams out and back, completed,
continuing and cancelled needs, so agreeing at zero cannot pass.
"""
from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ops.centres.models import Role
from ops.needs.models import Need, NeedStatus
from ops.reports import building, xlsx
from ops.reports.figures import trend
from ops.volunteers.models import Attendance
from tests.reports.test_build_and_send import _pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.pg, pytest.mark.timeout(600)]

API = "/api/v1"


def _client(season, role=None) -> Client:
    client = Client()
    if role is not None:
        client.force_login(season.users[role])
    return client


def _shown(html: str, attribute: str, key: str) -> int:
    """The number inside the element marked attribute="key" (possibly inside a child element)."""
    match = re.search(rf'{attribute}="{re.escape(key)}"[^>]*>\s*(?:<[^>]+>\s*)*([\d,]+)', html)
    assert match, f'{attribute}="{key}" is not on the page'
    return int(match.group(1).replace(",", ""))


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture(scope="module")
def surfaces(season, django_db_blocker, tmp_path_factory):
    """Every surface of the centre's day, read once at the season's moment."""
    from django.conf import settings

    centre, slug = season.centre, season.centre.slug
    today = centre.today()
    out = {}
    with django_db_blocker.unblock():
        out["reception"] = _get(_client(season, Role.RECEPTION), reverse("volunteers:reception",
                                                                          kwargs={"centre": slug}))
        viewer = _client(season, Role.VIEWER)
        out["board"] = _get(viewer, reverse("boards:staff", kwargs={"centre": slug}))
        out["snapshot"] = viewer.get(reverse("boards:staff_snapshot", kwargs={"centre": slug})).json()
        anonymous = _client(season)
        out["public"] = _get(anonymous, f"/p/{slug}/")
        out["public_json"] = anonymous.get(f"/p/{slug}/board.json").json()
        out["public_api"] = anonymous.get(f"{API}/public/centres/{slug}/status/").json()
        out["api_figures"] = _client(season, Role.LEADER).get(f"{API}/centres/{slug}/figures/").json()
        out["report_page"] = _get(_client(season, Role.ADMIN), reverse("reports:today", kwargs={"centre": slug}))
        out["tools_page"] = _get(_client(season, Role.COORDINATOR), reverse("dispatch:tools", kwargs={"centre": slug}))
        old_media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, str(tmp_path_factory.mktemp("report"))
        try:
            report = building.build_daily_report(centre_id=centre.pk, day=today)
            out["report_html"] = report.html.read().decode() if hasattr(report.html, "read") else report.html
            out["report_pdf"] = _pdf_text(report.pdf.path)
            workbook = load_workbook(io.BytesIO(xlsx.render_daily_xlsx(report.figures, trend(centre, today))))
            out["xlsx"] = {row[0]: row[1:] for row in workbook["概要"].iter_rows(values_only=True)}
            out["xlsx_stock"] = {row[0]: row[1:] for row in workbook["資機材・消耗品"].iter_rows(values_only=True)}
        finally:
            settings.MEDIA_ROOT = old_media
        # What the rows say, counted here by hand: the season is not empty where it matters.
        out["rows"] = {
            "people_in_today": sum(a.head_count for a in Attendance.objects.filter(centre=centre, date=today)),
            "needs": Need.objects.filter(centre=centre).count(),
            "completed": Need.objects.filter(centre=centre, status=NeedStatus.COMPLETED).count(),
        }
    return out


def _agree(readings: dict[str, int]) -> int:
    assert len(set(readings.values())) == 1, readings
    return next(iter(readings.values()))


def test_the_season_is_not_empty_where_figures_are_compared(surfaces):
    rows = surfaces["rows"]
    assert rows["people_in_today"] > 20 and rows["needs"] > 20 and rows["completed"] > 0


def test_volunteers_today_read_the_same_on_every_surface(surfaces):
    s = surfaces
    shown = _agree({
        "reception": _shown(s["reception"], "data-count", "checked_in"),
        "staff board": _shown(s["board"], "data-count", "volunteers.checked_in"),
        "staff snapshot": s["snapshot"]["counts"]["volunteers"]["checked_in"],
        "public board": _shown(s["public"], "data-field", "volunteers_today"),
        "public JSON": s["public_json"]["counters"]["volunteers_today"],
        "public API": s["public_api"]["counters"]["volunteers_today"],
        "API figures": s["api_figures"]["volunteers"]["today"]["total"],
        "日報 page": _shown(s["report_page"], "data-figure", "volunteers.today.total"),
        "日報 HTML": _shown(s["report_html"], "data-figure", "volunteers.today.total"),
        "日報 XLSX": s["xlsx"]["ボランティア: 活動者数"][0],
    })
    assert shown == s["rows"]["people_in_today"]  # people by head count, not rows
    assert re.search(rf"合計\s+{shown}\s", s["report_pdf"])  # the PDF's first table: volunteers


@pytest.mark.parametrize("part", ["in", "not_back", "out"])
def test_the_parts_of_volunteers_today_read_the_same_on_reception_and_the_staff_board(surfaces, part):
    s = surfaces
    _agree({
        "reception": _shown(s["reception"], "data-count", part),
        "staff board": _shown(s["board"], "data-count", f"volunteers.{part}"),
        "staff snapshot": s["snapshot"]["counts"]["volunteers"][part],
    })


def test_volunteers_since_opening_read_the_same_on_every_surface(surfaces):
    s = surfaces
    shown = _agree({
        "public board": _shown(s["public"], "data-field", "volunteers_total"),
        "public JSON": s["public_json"]["counters"]["volunteers_total"],
        "public API": s["public_api"]["counters"]["volunteers_total"],
        "API figures": s["api_figures"]["volunteers"]["cumulative"]["total"],
        "日報 page": _shown(s["report_page"], "data-figure", "volunteers.cumulative.total"),
        "日報 HTML": _shown(s["report_html"], "data-figure", "volunteers.cumulative.total"),
        "日報 XLSX": s["xlsx"]["ボランティア: 活動者数"][1],
    })
    assert shown > s["rows"]["people_in_today"]


@pytest.mark.parametrize("when,public_key", [("today", "needs_completed_today"),
                                             ("cumulative", "needs_completed_total")])
def test_needs_completed_read_the_same_on_every_surface(surfaces, when, public_key):
    s = surfaces
    readings = {
        "public board": _shown(s["public"], "data-field", public_key),
        "public JSON": s["public_json"]["counters"][public_key],
        "public API": s["public_api"]["counters"][public_key],
        "API figures": s["api_figures"]["needs"][when]["completed"],
        "日報 page": _shown(s["report_page"], "data-figure", f"needs.{when}.completed"),
        "日報 HTML": _shown(s["report_html"], "data-figure", f"needs.{when}.completed"),
        "日報 XLSX": s["xlsx"]["ニーズ完了"][0 if when == "today" else 1],
    }
    if when == "today":  # the staff board's 完了 tile is today's
        readings["staff board"] = _shown(s["board"], "data-count", "needs.completed")
    shown = _agree(readings)
    if when == "cumulative":
        assert shown == s["rows"]["completed"]


def test_needs_received_read_the_same_on_every_surface(surfaces):
    s = surfaces
    shown = _agree({
        "public board": _shown(s["public"], "data-field", "needs_received_total"),
        "public JSON": s["public_json"]["counters"]["needs_received_total"],
        "public API": s["public_api"]["counters"]["needs_received_total"],
        "API figures": s["api_figures"]["needs"]["cumulative"]["received"],
        "日報 page": _shown(s["report_page"], "data-figure", "needs.cumulative.received"),
        "日報 HTML": _shown(s["report_html"], "data-figure", "needs.cumulative.received"),
        "日報 XLSX": s["xlsx"]["ニーズ受付"][1],
    })
    assert shown == s["rows"]["needs"]
    _agree({
        "public JSON": s["public_json"]["counters"]["needs_received_today"],
        "API figures": s["api_figures"]["needs"]["today"]["received"],
        "日報 page": _shown(s["report_page"], "data-figure", "needs.today.received"),
        "日報 XLSX": s["xlsx"]["ニーズ受付"][0],
    })


@pytest.mark.parametrize("figure,statuses", [
    ("waiting", (NeedStatus.NEW, NeedStatus.SURVEYED, NeedStatus.READY)),
    ("active", (NeedStatus.ASSIGNED, NeedStatus.IN_PROGRESS)),
    ("continuing", (NeedStatus.CONTINUING,)),
])
def test_open_needs_on_the_staff_board_add_up_to_the_daily_reports(surfaces, figure, statuses):
    s = surfaces
    on_board = sum(_shown(s["board"], "data-count", f"needs.{status}") for status in statuses)
    readings = {
        "staff board": on_board,
        "staff snapshot": sum(s["snapshot"]["counts"]["needs"].get(status, 0) for status in statuses),
        "API figures": s["api_figures"]["needs"][figure],
        "日報 page": _shown(s["report_page"], "data-figure", f"needs.{figure}"),
        "日報 HTML": _shown(s["report_html"], "data-figure", f"needs.{figure}"),
    }
    if figure in ("waiting", "continuing"):
        readings["日報 XLSX"] = s["xlsx"]["待機（未着手）" if figure == "waiting" else "継続"][0]
    _agree(readings)


def test_people_booked_tomorrow_read_the_same_on_the_public_board_and_the_daily_report(surfaces):
    s = surfaces
    tomorrow = s["public_json"]["days"][0]
    _agree({
        "public JSON": tomorrow["booked"],
        "public API": s["public_api"]["days"][0]["booked"],
        "API figures": s["api_figures"]["recruitment"]["booked_tomorrow"],
        "日報 page": _shown(s["report_page"], "data-figure", "recruitment.booked_tomorrow"),
        "日報 XLSX": s["xlsx"]["明日の事前予約"][0],
    })


def _tools_page_out(html: str) -> int:
    """The tools page shows what is out per kind: its sum."""
    return sum(int(n) for n in re.findall(r'data-figure="tools\.[^"]+\.out">(\d+)<', html))


def test_tools_out_now_read_the_same_on_the_tools_page_and_the_daily_report(surfaces):
    s = surfaces
    shown = _agree({
        "tools page": _tools_page_out(s["tools_page"]),
        "API figures": s["api_figures"]["tools_out_total"],
        "日報 page": _shown(s["report_page"], "data-figure", "tools_out_total"),
        "日報 HTML": _shown(s["report_html"], "data-figure", "tools_out_total"),
        "日報 XLSX": s["xlsx"]["資機材 貸出中"][0],
    })
    assert shown > 0  # mid-morning: teams are out with shovels


def test_tools_past_the_return_deadline_read_the_same_on_the_tools_page_and_the_daily_report(surfaces):
    s = surfaces
    shown = _agree({
        "tools page": _shown(s["tools_page"], "data-count", "tools.overdue"),
        "API figures": s["api_figures"]["tools_overdue_total"],
        "日報 page": _shown(s["report_page"], "data-figure", "tools_overdue_total"),
        "日報 HTML": _shown(s["report_html"], "data-figure", "tools_overdue_total"),
        "日報 XLSX": s["xlsx"]["資機材 帰着期限を過ぎて未返却"][0],
    })
    assert shown > 0  # the first day's last team kept its shovels


@pytest.mark.parametrize("key,column", [("handed_out_today", 1), ("handed_out", 2), ("on_hand", 3)])
def test_consumables_read_the_same_on_the_tools_page_and_the_daily_report(surfaces, key, column):
    s = surfaces
    items = s["api_figures"]["consumables"]
    assert len(items) >= 2 and any(item["handed_out_today"] > 0 for item in items)
    for item in items:
        name = item["name"]
        _agree({
            "tools page": _shown(s["tools_page"], "data-figure", f"consumables.{name}.{key}"),
            "API figures": item[key],
            "日報 page": _shown(s["report_page"], "data-figure", f"consumables.{name}.{key}"),
            "日報 HTML": _shown(s["report_html"], "data-figure", f"consumables.{name}.{key}"),
            "日報 XLSX": s["xlsx_stock"][name][column],
        })
        assert re.search(rf"{re.escape(name)}.*\s{item['on_hand']}\s*$", s["report_pdf"], re.MULTILINE)  # PDF row
