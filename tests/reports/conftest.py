"""A small, hand-countable centre for the daily report: three days around Monday 2026-07-06 (JST).

Every row is placed on purpose: some right at the JST day boundaries, some after the end of the day (so they
must not count), a need whose status changed after the day (its status *then* counts), a cancelled dispatch,
a duplicate need, tools returned the next morning. tests/reports/test_figures.py holds the expected numbers.
"""
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import translation

from ops.centres.models import Base
from ops.dispatch.models import (
    Consumable,
    ConsumableMovement,
    Dispatch,
    EquipmentKind,
    EquipmentLoan,
    ReturnReport,
    Team,
)
from ops.needs.models import NeedStatusChange
from ops.reports.models import ReportRecipient
from ops.volunteers.models import Booking, Group
from tests import factories

JST = ZoneInfo("Asia/Tokyo")
D = date(2026, 7, 6)  # Monday: the report's day
PREV = date(2026, 7, 5)
NEXT = date(2026, 7, 7)
OPENED = date(2026, 7, 4)


def jst(day, hh, mm=0, ss=0, us=0):
    return datetime.combine(day, time(hh, mm, ss, us), tzinfo=JST)


def _history(need, *changes):
    """changes: (from, to, at). `at` is auto_now_add, so it is set afterwards."""
    for from_status, to_status, at in changes:
        row = NeedStatusChange.objects.create(need=need, from_status=from_status, to_status=to_status)
        NeedStatusChange.objects.filter(pk=row.pk).update(at=at)


def _volunteer(pref, city, group=None):
    return factories.make_volunteer(prefecture=pref, city=city, group=group)


def _team(centre, day, number, base):
    return Team.objects.create(centre=centre, date=day, number=number, base=base, status=Team.Status.RETURNED)


def _dispatch(centre, team, need, day, people, status=Dispatch.Status.RETURNED, report=None):
    d = Dispatch.objects.create(centre=centre, team=team, need=need, date=day, people=people, status=status,
                                dispatched_at=jst(day, 9), expected_return_at=jst(day, 15))
    if report:
        ReturnReport.objects.create(dispatch=d, **report)
    return d


def _loan(kind, team, quantity, lent_at, returned=0, returned_at=None):
    loan = EquipmentLoan.objects.create(kind=kind, team=team, quantity=quantity, returned_quantity=returned,
                                        returned_at=returned_at)
    EquipmentLoan.objects.filter(pk=loan.pk).update(lent_at=lent_at)


def build_season(centre):
    """Fill `centre` (長野県テスト市, opened 2026-07-04) with the fixture; returns a dict of named rows."""
    centre.opened_on = OPENED
    centre.save(update_fields=["opened_on"])
    hq = Base.objects.get(centre=centre, kind=Base.Kind.HQ)
    sat = Base.objects.create(centre=centre, name="北サテライト", kind=Base.Kind.SATELLITE, lat=36.7, lng=138.2)
    g1 = Group.objects.create(name="テスト建設", leader_name="代表 一郎", phone="090-0000-0001", member_count=2)
    g2 = Group.objects.create(name="テスト大学", leader_name="代表 二郎", phone="090-0000-0002", member_count=1)

    # --- attendances -------------------------------------------------------------------------------------
    a1 = _volunteer("長野県", "テスト市")                   # city, individual (also came on PREV)
    a2 = _volunteer("長野県", "テスト市", g1)               # city, group
    a3 = _volunteer("長野県", "長野市", g1)                 # prefecture, group
    a4 = _volunteer("新潟県", "新潟市")                     # other prefecture
    a5 = _volunteer("東京都", "テスト市")                   # same city name, other prefecture → other
    b2 = _volunteer("長野県", "松本市")                     # PREV only: prefecture, individual
    b3 = _volunteer("富山県", "富山市", g2)                 # PREV only: other, group
    c1 = _volunteer("長野県", "テスト市")                   # NEXT only: must not count
    factories.make_attendance(centre, a1, date=D, base=None, hours=Decimal("6.00"), checked_in_at=jst(D, 8, 40))
    factories.make_attendance(centre, a2, date=D, base=hq, hours=Decimal("5.50"), checked_in_at=jst(D, 8, 41))
    factories.make_attendance(centre, a3, date=D, base=sat, hours=None, checked_in_at=jst(D, 8, 42))
    factories.make_attendance(centre, a4, date=D, base=sat, hours=Decimal("4.00"), checked_in_at=jst(D, 8, 43))
    factories.make_attendance(centre, a5, date=D, base=None, hours=None, checked_in_at=jst(D, 8, 44))
    factories.make_attendance(centre, a1, date=PREV, hours=None, checked_in_at=jst(PREV, 8, 40))
    factories.make_attendance(centre, b2, date=PREV, hours=Decimal("3.00"), checked_in_at=jst(PREV, 8, 41))
    factories.make_attendance(centre, b3, date=PREV, hours=None, checked_in_at=jst(PREV, 8, 42))
    factories.make_attendance(centre, c1, date=NEXT, hours=Decimal("7.00"), checked_in_at=jst(NEXT, 8, 40))

    # --- needs (received_at at the JST boundaries) ------------------------------------------------------------
    mk = factories.make_need
    n1 = mk(centre, received_at=jst(PREV, 23, 59), district="中央", work_types=["mud", "furniture"],
            status="assigned")
    n2 = mk(centre, received_at=jst(D, 0, 0), district="中央", work_types=["mud"], status="new", base=sat)
    n3 = mk(centre, received_at=jst(D, 23, 59, 59), district="北町", work_types=["debris"], status="assigned")
    n4 = mk(centre, received_at=jst(NEXT, 0, 0), district="中央", work_types=["mud"], status="new")
    n5 = mk(centre, received_at=jst(OPENED, 10), district="北町", work_types=["mud", "cleaning"],
            status="completed")
    n6 = mk(centre, received_at=jst(OPENED, 11), district="", work_types=["other"], status="cancelled",
            duplicate_of=n5)
    n7 = mk(centre, received_at=jst(OPENED, 9), district="中央", work_types=["mud"], status="completed")
    n8 = mk(centre, received_at=jst(PREV, 10), district="北町", work_types=["furniture"], status="completed",
            base=sat)
    n9 = mk(centre, received_at=jst(PREV, 10, 30), district="中央", work_types=["sandbags"], status="on_hold")
    _history(n1, ("new", "ready", jst(PREV, 23, 59, 30)), ("ready", "assigned", jst(D, 9)),
             ("assigned", "in_progress", jst(D, 9, 30)), ("in_progress", "continuing", jst(D, 15)),
             ("continuing", "assigned", jst(NEXT, 9)))
    _history(n3, ("new", "ready", jst(NEXT, 8)), ("ready", "assigned", jst(NEXT, 9)))
    _history(n4, ("new", "ready", jst(NEXT, 8)))
    _history(n5, ("new", "ready", jst(OPENED, 12)), ("ready", "assigned", jst(PREV, 9)),
             ("assigned", "in_progress", jst(PREV, 9, 30)), ("in_progress", "continuing", jst(PREV, 15)),
             ("continuing", "assigned", jst(D, 9)), ("assigned", "in_progress", jst(D, 9, 30)),
             ("in_progress", "completed", jst(D, 14)))
    _history(n6, ("new", "cancelled", jst(OPENED, 12)))
    _history(n7, ("new", "ready", jst(OPENED, 9, 30)), ("ready", "assigned", jst(PREV, 9)),
             ("assigned", "in_progress", jst(PREV, 9, 30)), ("in_progress", "completed", jst(PREV, 15)))
    _history(n8, ("new", "ready", jst(PREV, 10, 30)), ("ready", "assigned", jst(D, 10)),
             ("assigned", "in_progress", jst(D, 10, 30)), ("in_progress", "completed", jst(NEXT, 0, 0)))
    _history(n9, ("new", "on_hold", jst(PREV, 11)))

    # --- teams, dispatches, return reports -----------------------------------------------------------------
    t1 = _team(centre, PREV, 1, hq)
    t2 = _team(centre, D, 1, None)
    t3 = _team(centre, D, 2, sat)
    t4 = _team(centre, NEXT, 1, hq)
    _dispatch(centre, t1, n5, PREV, 4, report={"outcome": "continue", "people": 4, "hours": Decimal("3.00"),
                                               "heat_illness": 1})
    _dispatch(centre, t1, n7, PREV, 4, report={"outcome": "completed", "people": 4, "hours": Decimal("2.00"),
                                               "injuries": 1})
    _dispatch(centre, t2, n5, D, 5, report={"outcome": "completed", "people": 5, "hours": Decimal("4.50"),
                                            "near_miss": "段差で転倒しかけた"})
    _dispatch(centre, t2, n1, D, 5, report={"outcome": "continue", "people": 5, "hours": Decimal("2.00"),
                                            "heat_illness": 1})
    _dispatch(centre, t3, n8, D, 3, status=Dispatch.Status.ACTIVE)
    _dispatch(centre, t3, n1, D, 3, status=Dispatch.Status.CANCELLED)
    _dispatch(centre, t4, n1, NEXT, 6, report={"outcome": "completed", "people": 6, "hours": Decimal("5.00"),
                                               "injuries": 2})

    # --- tools -------------------------------------------------------------------------------------------
    shovel = EquipmentKind.objects.create(centre=centre, name="スコップ", total=50)
    barrow = EquipmentKind.objects.create(centre=centre, name="一輪車", total=10)
    _loan(shovel, t2, 10, jst(D, 8), returned=10, returned_at=jst(D, 16))
    _loan(shovel, t3, 5, jst(D, 8, 30), returned=2, returned_at=jst(D, 16))
    _loan(barrow, t3, 2, jst(D, 8, 30), returned=2, returned_at=jst(NEXT, 9))
    _loan(barrow, t4, 1, jst(NEXT, 8))

    # --- consumables: water 100 in and 20 out on Sunday; 50 in, 30 to T-01 and 5 at the desk on Monday; 7 out on
    # Tuesday. Masks: retired on Monday after 10 were handed out. Gloves: retired, never counted (not reported).
    water = Consumable.objects.create(centre=centre, name="飲料水", unit="本")
    mask = Consumable.objects.create(centre=centre, name="マスク", unit="枚", retired_at=jst(D, 18))
    Consumable.objects.create(centre=centre, name="軍手", retired_at=jst(D, 18))
    handed = ConsumableMovement.Reason.HANDED_OUT
    for item, delta, reason, day, team in (
            (water, 100, "received", PREV, None), (water, -20, handed, PREV, t1), (water, 50, "received", D, None),
            (water, -30, handed, D, t2), (water, -5, handed, D, None), (water, -7, handed, NEXT, t4),
            (mask, 10, "received", PREV, None), (mask, -10, handed, D, t3)):
        ConsumableMovement.objects.create(consumable=item, delta=delta, reason=reason, on=day, team=team,
                                          at=jst(day, 9))

    # --- bookings for tomorrow -------------------------------------------------------------------------------
    Booking.objects.create(volunteer=a1, centre=centre, date=NEXT)
    Booking.objects.create(volunteer=a2, centre=centre, date=NEXT, cancelled_at=jst(D, 12))
    Booking.objects.create(volunteer=a3, centre=centre, date=D)
    return {"hq": hq, "sat": sat, "needs": [n1, n2, n3, n4, n5, n6, n7, n8, n9]}


@pytest.fixture
def season(centre):
    return build_season(centre)


@pytest.fixture
def recipients(centre):
    return [ReportRecipient.objects.create(centre=centre, name="市 防災課", email="bousai@example.jp"),
            ReportRecipient.objects.create(centre=centre, name="県社協", email="kenshakyo@example.jp"),
            ReportRecipient.objects.create(centre=centre, name="停止中", email="off@example.jp", active=False)]


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A request in English leaves English active in this thread; later tests expect the site's Japanese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
