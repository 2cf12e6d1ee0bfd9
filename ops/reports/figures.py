"""The daily report's figures (日報の数字), computed straight from the operational tables.

One place answers "how many, on which day": `daily_figures(centre, day)` for one centre (the roll-up
of a disaster's centres, ops.reports.rollup, reads it), `trend` for the chart. Every figure is an aggregate query (COUNT/SUM with
GROUP BY) filtered by centre and day, so a day's figures cost the same on day 10 and day 120 except for the
cumulative counters, which are one aggregate each. A day runs from 00:00 to 24:00 in the centre's timezone.

The result is plain JSON (ints, floats, strings, lists, dicts): it is stored in DailyReport.figures as built.
"""
from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone

from ops.centres.models import Base, Centre
from ops.dispatch.models import Consumable, Dispatch, EquipmentLoan
from ops.needs.models import Need, NeedStatus, NeedStatusChange, WorkType
from ops.volunteers.models import Attendance, Booking, heads
from ops.welfare.models import Case as WelfareCase
from ops.welfare.models import Referral

S = NeedStatus
# 待機中: received and not yet given to a team. 活動中: a team holds it. 継続: another day is needed.
WAITING = (S.NEW, S.SURVEYED, S.READY)
ACTIVE = (S.ASSIGNED, S.IN_PROGRESS)
HQ_KEY = "hq"


# --- days -------------------------------------------------------------------------------------------------
def as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _num(value) -> int | float:
    """JSON-friendly number: None → 0, Decimal → float rounded to 0.01."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return round(float(value), 2)
    return value


# --- volunteers (Attendance: one volunteer, or a group's leader for the group, one day) -----------------------
# People, never rows: a group checked in as one attendance of 12 is 12 people, from the leader's residence,
# and their hours are 12 people's hours (ops.volunteers.models.heads).
PEOPLE_HOURS = ExpressionWrapper(F("hours") * F("head_count"), output_field=DecimalField(max_digits=12, decimal_places=2))


def _residence_filters(centre: Centre) -> dict[str, Q]:
    same_pref = Q(volunteer__prefecture=centre.prefecture)
    same_city = Q(volunteer__city=centre.municipality)
    return {"city": same_pref & same_city, "prefecture": same_pref & ~same_city, "other": ~same_pref}


def _volunteer_figures(centre: Centre, qs, *, one_day: bool) -> dict:
    """total is Attendance.objects.heads_on(...)["checked_in"] for one day, heads_until(...) over the season."""
    counts = qs.aggregate(
        total=heads(),
        **{key: heads(q) for key, q in _residence_filters(centre).items()},
        group=heads(Q(volunteer__group__isnull=False)),
        groups=Count("volunteer__group", distinct=True),
        hours=Sum(PEOPLE_HOURS),
    )
    counts = {key: _num(value) for key, value in counts.items()}
    counts["individual"] = counts["total"] - counts["group"]
    # 実人数, different people: each comes once a day; over days a group's leader stands for the most people
    # the group brought on one day.
    counts["people"] = counts["total"] if one_day else _num(
        qs.values("volunteer").annotate(most=Max("head_count")).aggregate(n=Sum("most"))["n"])
    return counts


# --- dispatches and return reports -----------------------------------------------------------------------------
PERSON_HOURS = ExpressionWrapper(F("report__people") * F("report__hours"),
                                 output_field=DecimalField(max_digits=10, decimal_places=2))


def _dispatches(centre: Centre):
    return Dispatch.objects.counted().filter(centre=centre)


def _dispatch_aggregates(*, distinct: bool) -> dict:
    """Sums over dispatches and their return reports. The DISTINCT counts (teams, households) are for one day
    only: over a season they would sort every dispatch, and households worked are counted per need anyway."""
    return {
        "count": Count("id"),
        "people": Sum("people"),
        **({"teams": Count("team", distinct=True), "households": Count("need", distinct=True)} if distinct else {}),
        "reports": Count("report"),
        "reported_hours": Sum(PERSON_HOURS),
        "injuries": Sum("report__injuries"),
        "heat_illness": Sum("report__heat_illness"),
        "near_misses": Count("report", filter=Q(report__isnull=False) & ~Q(report__near_miss="")),
    }


def _dispatch_figures(centre: Centre, day: date) -> dict:
    today = _dispatches(centre).filter(date=day).aggregate(**_dispatch_aggregates(distinct=True))
    cumulative = _dispatches(centre).filter(date__lte=day).aggregate(**_dispatch_aggregates(distinct=False))
    return {"today": {k: _num(v) for k, v in today.items()},
            "cumulative": {k: _num(v) for k, v in cumulative.items()}}


# --- needs: status as it stood at the end of the day ---------------------------------------------------------
def status_at(end: datetime, need_ref: str = "pk", status_field: str = "status"):
    """A need's status at `end`. Every change goes through ops.needs.transitions and records its from_status,
    so a need changed since `end` had the from_status of its first later change; one not changed since has
    its current status. Only needs changed after `end` cost a lookup: a report for today reads almost no
    history, however long the season (the EXISTS runs as one hashed subplan on PostgreSQL)."""
    later = NeedStatusChange.objects.filter(need=OuterRef(need_ref), at__gte=end)
    first_later = later.order_by("at", "id").values("from_status")[:1]
    return Case(
        When(Exists(later), then=Coalesce(NullIf(Subquery(first_later), Value("")), F(status_field))),
        default=F(status_field),
    )


def _need_annotations(centre: Centre, day: date, need_ref: str, prefix: str) -> dict:
    start, end = centre.day_bounds(day)
    completed_today = NeedStatusChange.objects.filter(
        need=OuterRef(need_ref), to_status=S.COMPLETED, at__gte=start, at__lt=end)
    sent = _dispatches(centre).filter(need=OuterRef(need_ref))
    return {
        "st": status_at(end, need_ref, f"{prefix}status"),
        "new_today": ExpressionWrapper(Q(**{f"{prefix}received_at__gte": start}), output_field=BooleanField()),
        "dup": ExpressionWrapper(Q(**{f"{prefix}duplicate_of__isnull": False}), output_field=BooleanField()),
        "done_today": Exists(completed_today),
        "worked_today": Exists(sent.filter(date=day)),
        "worked": Exists(sent.filter(date__lte=day)),
    }


GROUP_FLAGS = ("st", "new_today", "dup", "done_today", "worked_today", "worked")


def _empty_need_row() -> dict:
    return {"received_today": 0, "received": 0, "completed_today": 0, "completed": 0, "continuing": 0,
            "waiting": 0, "active": 0, "on_hold": 0, "cancelled": 0, "households_asked_today": 0,
            "households_asked": 0, "households_worked_today": 0, "households_worked": 0}


def _fold(row: dict, g: dict) -> None:
    """Add one GROUP BY row (a count of needs sharing the same flags) into a figures row."""
    n = g["n"]
    row["received"] += n
    row["received_today"] += n if g["new_today"] else 0
    row["completed_today"] += n if g["done_today"] else 0
    row["completed"] += n if g["st"] == S.COMPLETED else 0
    row["continuing"] += n if g["st"] == S.CONTINUING else 0
    row["waiting"] += n if g["st"] in WAITING else 0
    row["active"] += n if g["st"] in ACTIVE else 0
    row["on_hold"] += n if g["st"] == S.ON_HOLD else 0
    row["cancelled"] += n if g["st"] == S.CANCELLED else 0
    if not g["dup"]:
        row["households_asked"] += n
        row["households_asked_today"] += n if g["new_today"] else 0
    row["households_worked_today"] += n if g["worked_today"] else 0
    row["households_worked"] += n if g["worked"] else 0


def _need_groups(centre: Centre, day: date) -> list[dict]:
    """Needs received by the end of the day, counted by (district, base) and the flags of GROUP_FLAGS."""
    _, end = centre.day_bounds(day)
    return list(
        Need.objects.filter(centre=centre, received_at__lt=end)
        .annotate(**_need_annotations(centre, day, "pk", ""))
        .values("district", "base_id", *GROUP_FLAGS)
        .annotate(n=Count("id"))
        .order_by()
    )


def _work_type_groups(centre: Centre, day: date) -> list[dict]:
    """The same counts by work type (a need with two work types counts under both)."""
    _, end = centre.day_bounds(day)
    through = Need.work_types.through
    return list(
        through.objects.filter(need__centre=centre, need__received_at__lt=end)
        .annotate(**_need_annotations(centre, day, "need_id", "need__"))
        .values("worktype_id", *GROUP_FLAGS)
        .annotate(n=Count("id"))
        .order_by()
    )


# --- bases (None → 本部) --------------------------------------------------------------------------------------
def _base_names(centre: Centre) -> tuple[dict, object]:
    """{key: name} in display order, and the key unassigned rows fall under (the HQ base, else 本部)."""
    from django.utils.translation import gettext as _

    bases = list(Base.objects.filter(centre=centre).order_by("kind", "id").values("id", "kind", "name"))
    hq = next((b["id"] for b in bases if b["kind"] == Base.Kind.HQ), None)
    names = {} if hq else {HQ_KEY: _("本部")}
    names.update({b["id"]: b["name"] for b in bases})
    return names, hq or HQ_KEY


def _by_base(centre: Centre, day: date, need_groups: list[dict]) -> list[dict]:
    names, fallback = _base_names(centre)
    rows = {key: {"name": name, "volunteers": 0, "hours": 0, "dispatches": 0, "people": 0, "teams": 0,
                  **_empty_need_row()} for key, name in names.items()}

    def row(key):
        return rows[key if key in rows else fallback]

    for g in need_groups:
        _fold(row(g["base_id"]), g)
    for g in (Attendance.objects.on(centre, day).values("base_id")
              .annotate(n=heads(), hours=Sum(PEOPLE_HOURS)).order_by()):
        r = row(g["base_id"])
        r["volunteers"] += g["n"]
        r["hours"] = round(r["hours"] + _num(g["hours"]), 2)
    # Households worked today count under the base the team left from, not the need's own base.
    for r in rows.values():
        r["households_worked_today"] = 0
    for g in (_dispatches(centre).filter(date=day).values("team__base_id")
              .annotate(n=Count("id"), people=Sum("people"), teams=Count("team", distinct=True),
                        households=Count("need", distinct=True)).order_by()):
        r = row(g["team__base_id"])
        r["dispatches"] += g["n"]
        r["people"] += g["people"] or 0
        r["teams"] += g["teams"]
        r["households_worked_today"] += g["households"]
    return [{"key": str(key), **r} for key, r in rows.items()]


# --- needs by district and work type --------------------------------------------------------------------------
def _by_district(need_groups: list[dict]) -> list[dict]:
    from django.utils.translation import gettext as _

    rows: dict[str, dict] = defaultdict(_empty_need_row)
    for g in need_groups:
        _fold(rows[g["district"] or ""], g)
    unknown = _("（地区未設定）")
    return [{"district": name or unknown, **rows[name]} for name in sorted(rows, key=lambda d: (d == "", d))]


def _by_work_type(groups: list[dict]) -> list[dict]:
    from django.utils.translation import gettext as _

    rows: dict[int, dict] = defaultdict(_empty_need_row)
    for g in groups:
        _fold(rows[g["worktype_id"]], g)
    return [{"code": wt.code, "name": _(wt.name), **rows[wt.pk]}
            for wt in WorkType.objects.order_by("order", "id") if wt.pk in rows]


def _need_totals(need_groups: list[dict]) -> dict:
    total = _empty_need_row()
    for g in need_groups:
        _fold(total, g)
    return total


# --- tools, bookings, recruitment -------------------------------------------------------------------------------
def _tools_out(centre: Centre, day: date) -> list[dict]:
    """資機材 not back at the end of the day, by kind (a loan returned later counts as out that day)."""
    _, end = centre.day_bounds(day)
    outstanding = Case(When(returned_at__gte=end, then=F("quantity")),
                       default=F("quantity") - F("returned_quantity"), output_field=IntegerField())
    rows = (EquipmentLoan.objects.filter(kind__centre=centre, lent_at__lt=end).annotate(out=outstanding)
            .filter(out__gt=0).values("kind__name").annotate(quantity=Sum("out")).order_by("kind__name"))
    return [{"name": r["kind__name"], "quantity": r["quantity"]} for r in rows]


def _tools_overdue(centre: Centre, day: date) -> list[dict]:
    """資機材 not back by the day's return deadline (帰着期限), by kind: out at the deadline, or, before it has
    passed, the loans of earlier days still out now."""
    start, _ = centre.day_bounds(day)
    deadline = centre.latest_return_at(day)
    at = min(deadline, timezone.now())
    lent = Q(lent_at__lt=at) if at >= deadline else Q(lent_at__lt=start)
    outstanding = Case(When(returned_at__gte=at, then=F("quantity")),
                       default=F("quantity") - F("returned_quantity"), output_field=IntegerField())
    rows = (EquipmentLoan.objects.filter(lent, kind__centre=centre).annotate(out=outstanding)
            .filter(out__gt=0).values("kind__name").annotate(quantity=Sum("out")).order_by("kind__name"))
    return [{"name": r["kind__name"], "quantity": r["quantity"]} for r in rows]


def _consumables(centre: Centre, day: date) -> list[dict]:
    """消耗品 counted by the end of the day: handed out that day and since the first count, and on hand."""
    rows = (Consumable.objects.filter(centre=centre).with_on_hand(day)
            .filter(Q(retired_at__isnull=True) | Q(handed_out__gt=0) | ~Q(on_hand=0)).order_by("name"))
    return [{"name": c.name, "unit": c.unit, "handed_out_today": c.handed_out_on_day,
             "handed_out": c.handed_out, "on_hand": c.on_hand} for c in rows]


def _recruitment(centre: Centre, day: date) -> dict:
    booked = Booking.objects.heads_booked(centre, day + timedelta(days=1))
    return {"status": centre.recruitment_status, "status_label": str(centre.get_recruitment_status_display()),
            "scope": centre.recruitment_scope, "scope_label": str(centre.get_recruitment_scope_display()),
            "daily_capacity": centre.daily_capacity, "booked_tomorrow": booked}


# --- welfare casework: counts only (never a household, a name or a word of a case) ------------------------------
def _welfare(centre: Centre, day: date) -> dict:
    """福祉ケース: opened, referred and closed that day and to date; open and overdue at the end of the day.
    A case handed over at closing has its closed_at too: it counts as closed from then."""
    start, end = centre.day_bounds(day)
    cases = WelfareCase.objects.filter(centre=centre, opened_at__lt=end)
    open_at_end = Q(closed_at__gte=end) | Q(closed_at__isnull=True, status=WelfareCase.Status.OPEN)
    counts = cases.aggregate(
        new=Count("id", filter=Q(opened_at__gte=start)),
        open=Count("id", filter=open_at_end),
        # Uses the case's current next_check_on: a check date moved since `day` is not known as it stood then.
        overdue=Count("id", filter=open_at_end & Q(next_check_on__lt=day)),
        closed=Count("id", filter=Q(closed_at__gte=start, closed_at__lt=end)),
        closed_cumulative=Count("id", filter=Q(closed_at__lt=end)),
        new_cumulative=Count("id"),
    )
    referrals = Referral.objects.filter(case__centre=centre, referred_on__lte=day).aggregate(
        referred=Count("id", filter=Q(referred_on=day)), referred_cumulative=Count("id"))
    return {
        "today": {"new": counts["new"], "referred": referrals["referred"], "closed": counts["closed"]},
        "cumulative": {"new": counts["new_cumulative"], "referred": referrals["referred_cumulative"],
                       "closed": counts["closed_cumulative"]},
        "open": counts["open"], "overdue": counts["overdue"],
    }


# --- the one entry point -----------------------------------------------------------------------------------------
@contextmanager
def _planned_for_oltp():
    """One read transaction; on PostgreSQL without JIT. The per-need subqueries make the planner's cost
    estimate cross jit_above_cost, and compiling the plan (~1.3 s measured) costs ten times the query itself."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def daily_figures(centre: Centre, day) -> dict:
    """All figures of the centre's daily report for `day` (a date or ISO string), today and cumulative."""
    with _planned_for_oltp():
        return _daily_figures(centre, as_date(day))


def _daily_figures(centre: Centre, day: date) -> dict:
    need_groups = _need_groups(centre, day)
    needs = _need_totals(need_groups)
    dispatches = _dispatch_figures(centre, day)
    volunteers = {"today": _volunteer_figures(centre, Attendance.objects.on(centre, day), one_day=True),
                  "cumulative": _volunteer_figures(centre, Attendance.objects.until(centre, day), one_day=False)}
    tools, overdue = _tools_out(centre, day), _tools_overdue(centre, day)
    opened = centre.opened_on
    return {
        "centre": {"id": centre.pk, "name": centre.name, "municipality": centre.municipality,
                   "prefecture": centre.prefecture, "opened_on": opened.isoformat() if opened else None,
                   "drill": centre.is_drill},  # 訓練: every rendering of the figures says so (ops.drills.marking)
        "date": day.isoformat(),
        "day_number": (day - opened).days + 1 if opened and day >= opened else None,
        "computed_at": timezone.now().isoformat(),
        "volunteers": volunteers,
        "dispatches": dispatches,
        "needs": {
            "today": {"received": needs["received_today"], "completed": needs["completed_today"]},
            "cumulative": {"received": needs["received"], "completed": needs["completed"]},
            "waiting": needs["waiting"], "continuing": needs["continuing"], "active": needs["active"],
            "on_hold": needs["on_hold"], "cancelled": needs["cancelled"],
        },
        "households": {
            "asked": {"today": needs["households_asked_today"], "cumulative": needs["households_asked"]},
            "worked": {"today": needs["households_worked_today"], "cumulative": needs["households_worked"]},
        },
        "hours": {
            "attendance": {"today": volunteers["today"]["hours"], "cumulative": volunteers["cumulative"]["hours"]},
            "reported": {"today": dispatches["today"]["reported_hours"],
                         "cumulative": dispatches["cumulative"]["reported_hours"]},
        },
        "safety": {
            "injuries": {"today": dispatches["today"]["injuries"],
                         "cumulative": dispatches["cumulative"]["injuries"]},
            "heat_illness": {"today": dispatches["today"]["heat_illness"],
                             "cumulative": dispatches["cumulative"]["heat_illness"]},
            "near_misses": {"today": dispatches["today"]["near_misses"],
                            "cumulative": dispatches["cumulative"]["near_misses"]},
        },
        "by_district": _by_district(need_groups),
        "by_work_type": _by_work_type(_work_type_groups(centre, day)),
        "by_base": _by_base(centre, day, need_groups),
        "tools_out": tools,
        "tools_out_total": sum(t["quantity"] for t in tools),
        "tools_overdue": overdue,
        "tools_overdue_total": sum(t["quantity"] for t in overdue),
        "consumables": _consumables(centre, day),
        "recruitment": _recruitment(centre, day),
        "welfare": _welfare(centre, day),
        "technical": _technical(centre, day),
    }


# --- 技術系ニーズ（協力団体）: ops.partners.figures, the one home of these counts -------------------------------
def _technical(centre: Centre, day: date) -> dict:
    """The partner organisations' work (三者連携) as every surface counts it (ops.partners.figures): `summary`
    (needs waiting for an organisation and jobs by open status as the report is built, jobs done on `day` and
    in total) and `by_organisation` (open, scheduled, done, declined per organisation). Organisations' names
    only: never a job's notes or a contact."""
    from ops.partners import figures as partner_figures

    summary = partner_figures.summary(centre, day)
    rows = [{"organisation": r["organisation"], "open": r["open"], "scheduled": r["scheduled"], "done": r["done"],
             "declined": r["declined"]} for r in partner_figures.by_organisation(centre)]
    return {"summary": summary, "by_organisation": rows}


# --- the trend since opening (chart, XLSX) -------------------------------------------------------------------------
def trend(centre: Centre, day) -> list[dict]:
    """One row per day from opening (or the first activity) to `day`: four GROUP BY queries in all."""
    with _planned_for_oltp():
        return _trend(centre, as_date(day))


def _trend(centre: Centre, day: date) -> list[dict]:
    tz = centre.tz
    _, end = centre.day_bounds(day)
    series: dict[str, dict] = {
        "volunteers": dict(Attendance.objects.until(centre, day).values("date")
                           .annotate(n=heads()).order_by().values_list("date", "n")),
        "dispatches": dict(_dispatches(centre).filter(date__lte=day).values("date")
                           .annotate(n=Count("id")).order_by().values_list("date", "n")),
        "needs_received": dict(Need.objects.filter(centre=centre, received_at__lt=end)
                               .annotate(d=TruncDate("received_at", tzinfo=tz)).values("d")
                               .annotate(n=Count("id")).order_by().values_list("d", "n")),
        "needs_completed": dict(NeedStatusChange.objects.filter(need__centre=centre, to_status=S.COMPLETED,
                                                                at__lt=end)
                                .annotate(d=TruncDate("at", tzinfo=tz)).values("d")
                                .annotate(n=Count("need", distinct=True)).order_by().values_list("d", "n")),
    }
    firsts = [min(s) for s in series.values() if s]
    first = centre.opened_on or (min(firsts) if firsts else day)
    if firsts:
        first = min(first, *firsts)
    rows, totals = [], defaultdict(int)
    current = first
    while current <= day:
        row = {"date": current.isoformat()}
        for key, counts in series.items():
            totals[key] += counts.get(current, 0)
            row[key] = counts.get(current, 0)
            row[f"{key}_cumulative"] = totals[key]
        rows.append(row)
        current += timedelta(days=1)
    return rows
