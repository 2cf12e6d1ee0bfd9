"""daily_figures against the hand-built fixture in conftest.py. Every expected number below was counted by
hand from that fixture (see the comments), including which rows fall on which side of midnight JST."""
import json

import pytest
import time_machine

from ops.reports.figures import daily_figures, trend
from ops.reports.rollup import rollup_figures
from tests import factories
from tests.reports.conftest import NEXT, PREV, D, build_season, jst

pytestmark = pytest.mark.django_db


def test_day_runs_midnight_to_midnight_in_tokyo(centre):
    start, end = centre.day_bounds(D)
    assert start == jst(D, 0) and end == jst(NEXT, 0)
    assert start.isoformat() == "2026-07-06T00:00:00+09:00"


def test_figures_are_plain_json(season, centre):
    figures = daily_figures(centre, D)
    assert json.loads(json.dumps(figures)) == figures


def test_volunteers_today_by_residence_and_group(season, centre):
    v = daily_figures(centre, D)["volunteers"]["today"]
    # a1 a2 (テスト市, 長野県) city; a3 (長野市) prefecture; a4 (新潟県) and a5 (東京都テスト市) other.
    assert v["total"] == 5
    assert (v["city"], v["prefecture"], v["other"]) == (2, 1, 2)
    # a2 a3 belong to group g1; a1 a4 a5 come alone.
    assert (v["group"], v["individual"], v["groups"]) == (2, 3, 1)
    assert v["hours"] == 15.5  # 6 + 5.5 + 4 (a3 and a5 not checked out)


def test_volunteers_cumulative_stops_at_the_day(season, centre):
    v = daily_figures(centre, D)["volunteers"]["cumulative"]
    # PREV: a1 (city), b2 (prefecture), b3 (other, group g2); NEXT's c1 does not count.
    assert v["total"] == 8
    assert (v["city"], v["prefecture"], v["other"]) == (3, 2, 3)
    assert (v["group"], v["individual"], v["groups"]) == (3, 5, 2)
    assert v["people"] == 7  # a1 came twice
    assert v["hours"] == 18.5


def test_needs_received_respect_jst_midnight(season, centre):
    n = daily_figures(centre, D)["needs"]
    # n2 at 00:00 JST Monday and n3 at 23:59:59 Monday count; n1 at 23:59 Sunday and n4 at 00:00 Tuesday don't.
    assert n["today"]["received"] == 2
    # n1 n2 n3 n5 n6 n7 n8 n9 (n4 is Tuesday's).
    assert n["cumulative"]["received"] == 8
    assert daily_figures(centre, PREV)["needs"]["today"]["received"] == 3  # n1, n8, n9
    assert daily_figures(centre, NEXT)["needs"]["today"]["received"] == 1  # n4


def test_needs_status_as_it_stood_at_the_end_of_the_day(season, centre):
    n = daily_figures(centre, D)["needs"]
    # n5 completed Monday 14:00; n8's completion at 00:00 Tuesday is not Monday's.
    assert n["today"]["completed"] == 1
    assert n["cumulative"]["completed"] == 2  # n5, n7
    assert n["continuing"] == 1  # n1 (reassigned only on Tuesday)
    assert n["waiting"] == 2  # n2 new; n3 new then (ready/assigned only on Tuesday)
    assert n["active"] == 1  # n8 in progress at midnight
    assert (n["on_hold"], n["cancelled"]) == (1, 1)  # n9, n6


def test_households_asked_and_worked(season, centre):
    h = daily_figures(centre, D)["households"]
    assert h["asked"] == {"today": 2, "cumulative": 7}  # n6 is a duplicate of n5
    # Monday's dispatches (the cancelled one aside) went to n5, n1, n8; before that also n7.
    assert h["worked"] == {"today": 3, "cumulative": 4}


def test_dispatches_hours_and_safety(season, centre):
    f = daily_figures(centre, D)
    d = f["dispatches"]
    assert (d["today"]["count"], d["today"]["people"], d["today"]["teams"]) == (3, 13, 2)
    assert (d["cumulative"]["count"], d["cumulative"]["people"]) == (5, 21)
    assert f["hours"]["reported"] == {"today": 32.5, "cumulative": 52.5}  # 5×4.5+5×2; +4×3+4×2
    assert f["hours"]["attendance"] == {"today": 15.5, "cumulative": 18.5}
    assert f["safety"]["injuries"] == {"today": 0, "cumulative": 1}
    assert f["safety"]["heat_illness"] == {"today": 1, "cumulative": 2}
    assert f["safety"]["near_misses"] == {"today": 1, "cumulative": 1}


def test_by_district(season, centre):
    rows = {r["district"]: r for r in daily_figures(centre, D)["by_district"]}
    assert list(rows) == ["中央", "北町", "（地区未設定）"]
    chuo, kita, unknown = rows["中央"], rows["北町"], rows["（地区未設定）"]
    # 中央: n1 continuing, n2 new today, n7 completed Sunday, n9 on hold.
    assert (chuo["received"], chuo["received_today"], chuo["completed"], chuo["completed_today"]) == (4, 1, 1, 0)
    assert (chuo["continuing"], chuo["waiting"], chuo["on_hold"]) == (1, 1, 1)
    assert (chuo["households_worked_today"], chuo["households_worked"]) == (1, 2)
    # 北町: n3 new today, n5 completed today, n8 in progress.
    assert (kita["received"], kita["received_today"], kita["completed"], kita["completed_today"]) == (3, 1, 1, 1)
    assert (kita["waiting"], kita["active"], kita["households_worked_today"]) == (1, 1, 2)
    assert (unknown["received"], unknown["cancelled"], unknown["households_asked"]) == (1, 1, 0)


def test_by_work_type(season, centre):
    rows = {r["code"]: r for r in daily_figures(centre, D)["by_work_type"]}
    assert list(rows) == ["mud", "debris", "furniture", "cleaning", "sandbags", "other"]
    assert rows["mud"]["name"] == "泥出し"
    # mud: n1 n2 n5 n7.
    assert (rows["mud"]["received"], rows["mud"]["received_today"], rows["mud"]["completed"],
            rows["mud"]["completed_today"], rows["mud"]["continuing"], rows["mud"]["waiting"]) == (4, 1, 2, 1, 1, 1)
    assert (rows["furniture"]["received"], rows["furniture"]["continuing"], rows["furniture"]["active"]) == (2, 1, 1)
    assert (rows["debris"]["received_today"], rows["debris"]["waiting"]) == (1, 1)
    assert rows["cleaning"]["completed_today"] == 1
    assert rows["sandbags"]["on_hold"] == 1
    assert rows["other"]["cancelled"] == 1


def test_by_base_puts_unassigned_under_headquarters(season, centre):
    rows = {r["name"]: r for r in daily_figures(centre, D)["by_base"]}
    assert list(rows) == ["本部", "北サテライト"]
    hq, sat = rows["本部"], rows["北サテライト"]
    # Attendances: a1 a5 (no base) + a2 at 本部; a3 a4 at the satellite.
    assert (hq["volunteers"], hq["hours"], sat["volunteers"], sat["hours"]) == (3, 11.5, 2, 4.0)
    # Team 1 (no base) sent twice with 5 people; team 2 (satellite) once with 3 (its cancelled one aside).
    assert (hq["dispatches"], hq["people"], hq["teams"], hq["households_worked_today"]) == (2, 10, 1, 2)
    assert (sat["dispatches"], sat["people"], sat["teams"], sat["households_worked_today"]) == (1, 3, 1, 1)
    # Needs by their own base: n2 and n8 at the satellite, the six others (no base) at 本部.
    assert (hq["received"], sat["received"], sat["received_today"]) == (6, 2, 1)


def test_tools_out_at_the_end_of_the_day(season, centre):
    f = daily_figures(centre, D)
    # Shovels: 10 back, 3 of 5 still out. Barrows: both back only on Tuesday morning. Tuesday's loan: no.
    assert f["tools_out"] == [{"name": "スコップ", "quantity": 3}, {"name": "一輪車", "quantity": 2}]
    assert f["tools_out_total"] == 5


def test_tools_not_back_by_the_return_deadline(season, centre):
    f = daily_figures(centre, D)
    # At Monday's deadline (15:30): T-01's 10 shovels came back at 16:00, T-02's five at 16:00 (three stay
    # out), both barrows on Tuesday. So 15 shovels and 2 barrows were late, though only 5 tools are out at night.
    assert f["tools_overdue"] == [{"name": "スコップ", "quantity": 15}, {"name": "一輪車", "quantity": 2}]
    assert f["tools_overdue_total"] == 17


def test_before_the_deadline_only_earlier_days_loans_count_as_overdue(season, centre):
    with time_machine.travel(jst(NEXT, 12), tick=False):
        f = daily_figures(centre, NEXT)
    # Tuesday noon: T-03's shovels (3, lent Monday) are late; T-04's barrow lent Tuesday morning is not yet.
    assert f["tools_overdue"] == [{"name": "スコップ", "quantity": 3}]


def test_consumables_handed_out_today_since_the_first_count_and_on_hand(season, centre):
    f = daily_figures(centre, D)
    assert f["consumables"] == [
        {"name": "マスク", "unit": "枚", "handed_out_today": 10, "handed_out": 10, "on_hand": 0},
        {"name": "飲料水", "unit": "本", "handed_out_today": 35, "handed_out": 55, "on_hand": 95},
    ]  # the gloves, retired and never counted, are left out; Tuesday's 7 bottles are not Monday's
    assert daily_figures(centre, PREV)["consumables"][1]["on_hand"] == 80


def test_recruitment_and_tomorrows_bookings(season, centre):
    f = daily_figures(centre, D)
    assert f["recruitment"]["status"] == "recruiting"
    assert f["recruitment"]["booked_tomorrow"] == 1  # one booking for Tuesday was cancelled
    assert f["day_number"] == 3  # opened Saturday 2026-07-04


def test_an_empty_centre_reports_zeros(centre):
    f = daily_figures(centre, D)
    assert f["volunteers"]["today"]["total"] == 0
    assert f["needs"]["cumulative"]["received"] == 0
    assert f["by_district"] == [] and f["tools_out"] == []


def test_other_centres_rows_do_not_leak(season, centre):
    other = factories.make_centre(disaster=centre.disaster)
    build_season(other)
    assert daily_figures(centre, D)["volunteers"]["today"]["total"] == 5
    assert daily_figures(centre, D)["needs"]["cumulative"]["received"] == 8


def test_trend_since_opening(season, centre):
    rows = trend(centre, D)
    assert [r["date"] for r in rows] == ["2026-07-04", "2026-07-05", "2026-07-06"]
    assert [r["volunteers"] for r in rows] == [0, 3, 5]
    assert [r["needs_received"] for r in rows] == [3, 3, 2]  # n5 n6 n7 / n1 n8 n9 / n2 n3
    assert [r["needs_completed"] for r in rows] == [0, 1, 1]  # n7 / n5
    assert [r["dispatches_cumulative"] for r in rows] == [0, 2, 5]


def test_rollup_one_row_per_centre(season, centre):
    other = factories.make_centre(disaster=centre.disaster, name="隣町災害VC")
    factories.make_attendance(other, date=D, checked_in_at=jst(D, 9))
    rollup = rollup_figures(centre.disaster, D)
    rows = {r["name"]: r for r in rollup["centres"]}
    assert rows[centre.name]["volunteers_today"] == 5
    assert rows[centre.name]["needs_received_cumulative"] == 8
    assert rows["隣町災害VC"]["volunteers_today"] == 1
    assert rollup["totals"]["volunteers_today"] == 6
    assert rollup["totals"]["volunteers_cumulative"] == 9


def test_a_group_attendance_of_12_from_matsumoto_counts_12_people_from_the_prefecture(centre):
    from datetime import timedelta
    from decimal import Decimal

    from ops.centres.models import Base
    from ops.volunteers.models import Group

    day = centre.today()
    satellite = Base.objects.create(centre=centre, name="北サテライト", kind=Base.Kind.SATELLITE, lat=36.7, lng=138.2)
    group = Group.objects.create(centre=centre, name="松本建設", leader_name="代表 一郎", phone="090-0000-0001",
                                 member_count=12, prefecture="長野県", city="松本市")
    leader = factories.make_volunteer(prefecture="長野県", city="松本市", group=group)
    factories.make_attendance(centre, leader, date=day - timedelta(days=1), head_count=10, hours=Decimal("3.00"))
    factories.make_attendance(centre, leader, date=day, head_count=12, hours=Decimal("5.00"), base=satellite)
    factories.make_attendance(centre, factories.make_volunteer(prefecture="長野県", city="テスト市"), date=day,
                              hours=Decimal("4.00"))
    figures = daily_figures(centre, day)

    today, cumulative = figures["volunteers"]["today"], figures["volunteers"]["cumulative"]
    assert (today["total"], today["city"], today["prefecture"], today["other"]) == (13, 1, 12, 0)
    assert (today["group"], today["individual"], today["groups"], today["people"]) == (12, 1, 1, 13)
    assert today["hours"] == figures["hours"]["attendance"]["today"] == 64.0  # 12 people × 5 h + 4 h
    assert (cumulative["total"], cumulative["prefecture"], cumulative["group"]) == (23, 22, 22)
    assert cumulative["people"] == 13  # the group brought at most 12 people on a day; the other came once
    assert cumulative["hours"] == 94.0
    bases = {r["name"]: r for r in figures["by_base"]}
    assert (bases["北サテライト"]["volunteers"], bases["北サテライト"]["hours"]) == (12, 60.0)
    assert (bases["本部"]["volunteers"], bases["本部"]["hours"]) == (1, 4.0)
    assert [(r["volunteers"], r["volunteers_cumulative"]) for r in trend(centre, day)[-2:]] == [(10, 10), (13, 23)]
