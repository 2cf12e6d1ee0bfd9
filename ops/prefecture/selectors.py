"""What the prefecture's own pages read: the overview of a disaster's centres (each row from that centre's 日報
figures, as the roll-up reads them, plus today's and tomorrow's places) and its open needs by district
(counts only, at a district's mean position to about 100 m: never a household)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone

from ops.centres.models import DEFAULT_TIMEZONE, Centre, Disaster, Suspension
from ops.needs.models import Need, NeedStatus, WorkType
from ops.needs.transitions import OPEN
from ops.reports.figures import daily_figures
from ops.reports.rollup import ROLLUP_KEYS, rollup_centres, rollup_row
from ops.volunteers.services.capacity import places

S = NeedStatus
# The map's three groups of open needs (ops.needs.transitions.OPEN): waiting for a team (継続 waits for its
# next one), a team on it, on hold.
STATUS_GROUPS = {
    "waiting": (S.NEW, S.SURVEYED, S.READY, S.CONTINUING),
    "in_progress": (S.ASSIGNED, S.IN_PROGRESS),
    "on_hold": (S.ON_HOLD,),
}
assert frozenset(s for group in STATUS_GROUPS.values() for s in group) == OPEN
GROUP_OF = {status: group for group, statuses in STATUS_GROUPS.items() for status in statuses}
# A district's position is the mean of its needs' positions only when at least this many needs have one: with
# fewer, a mean is (nearly) a household's own position, so the district is listed with its counts, unplaced.
MIN_PLACED = 3
DECIMALS = 3  # about 100 m


def disaster_today(disaster: Disaster) -> date:
    """The disaster's day: its first centre's calendar day (a disaster's centres share one zone)."""
    first = Centre.objects.filter(disaster=disaster).order_by("id").first()
    return first.today() if first else Centre.today_in(DEFAULT_TIMEZONE)


def overview(disaster: Disaster, day: date | None = None) -> dict:
    """One row per centre of the disaster: the roll-up's centres first (their figures are the roll-up's, read
    from each centre's 日報 figures), then the others (準備中, then 終了), marked as outside the day's roll-up.
    The totals add the roll-up's centres only, so they are rollup_figures(disaster, day)["totals"]."""
    day = day or disaster_today(disaster)
    counted = list(rollup_centres(disaster, day))
    counted_ids = {c.pk for c in counted}
    others = sorted((c for c in Centre.objects.filter(disaster=disaster) if c.pk not in counted_ids),
                    key=lambda c: (c.status == Centre.Status.CLOSED, c.pk))
    rows = [_row(c, day, counted=True) for c in counted] + [_row(c, day, counted=False) for c in others]
    totals = {key: sum(r["figures"][key] for r in rows if r["counted"]) for key in ROLLUP_KEYS}
    for key in ("places_today", "places_tomorrow", "booked_tomorrow", "needs_open"):
        totals[key] = sum(r[key] for r in rows if r["counted"] and r[key] is not None)
    return {"date": day, "rows": rows, "totals": totals, "computed_at": timezone.now()}


def _row(centre: Centre, day: date, *, counted: bool) -> dict:
    figures = daily_figures(centre, day)
    needs = figures["needs"]
    closed = centre.status == Centre.Status.CLOSED
    tomorrow = day + timedelta(days=1)
    today_places = None if closed else places(centre, day)
    tomorrow_places = None if closed else places(centre, tomorrow)
    return {
        "centre": centre, "counted": counted, "closed": closed,
        "figures": rollup_row(figures),
        "recruitment": figures["recruitment"],
        "suspension": Suspension.objects.on(centre, day),
        "places_today": today_places.left if today_places else None,
        "places_tomorrow": tomorrow_places.left if tomorrow_places else None,
        "closed_today": bool(today_places and today_places.closed),
        "closed_tomorrow": bool(tomorrow_places and tomorrow_places.closed),
        "booked_tomorrow": figures["recruitment"]["booked_tomorrow"],
        "needs_open": needs["waiting"] + needs["continuing"] + needs["active"] + needs["on_hold"],
    }


def figures_json(data: dict) -> dict:
    """The overview as the page's poll reads it (figures only: the same cells as the page)."""
    def cells(row_figures, row):
        return {"volunteers_today": row_figures["volunteers_today"],
                "volunteers_cumulative": row_figures["volunteers_cumulative"],
                "places_today": row["places_today"], "places_tomorrow": row["places_tomorrow"],
                "booked_tomorrow": row["booked_tomorrow"],
                "needs_received": row_figures["needs_received_cumulative"],
                "needs_received_today": row_figures["needs_received_today"],
                "needs_open": row["needs_open"], "needs_waiting": row_figures["needs_waiting"],
                "needs_completed": row_figures["needs_completed_cumulative"],
                "needs_completed_today": row_figures["needs_completed_today"]}

    return {
        "date": data["date"].isoformat(), "computed_at": data["computed_at"].isoformat(),
        "centres": [{"id": r["centre"].pk, "suspended": r["suspension"] is not None,
                     "recruitment": r["recruitment"]["status_label"], "scope": r["recruitment"]["scope_label"],
                     "closed_today": r["closed_today"], "closed_tomorrow": r["closed_tomorrow"],
                     **cells(r["figures"], r)} for r in data["rows"]],
        "totals": cells(data["totals"], data["totals"]),
    }


def district_needs(disaster: Disaster) -> dict:
    """Open needs per (centre, district): counts by status group and by work type, and the district's mean
    position to 3 decimals when at least MIN_PLACED of its needs have one. Five queries whatever the size."""
    centres = list(Centre.objects.filter(disaster=disaster).order_by("id").values("id", "name"))
    names = {c["id"]: c["name"] for c in centres}
    open_needs = Need.objects.filter(centre__disaster=disaster, status__in=OPEN)
    districts: dict = {}
    for row in (open_needs.values("centre_id", "district").order_by()
                .annotate(n=Count("id"), placed=Count("id", filter=Q(lat__isnull=False, lng__isnull=False)),
                          mean_lat=Avg("lat", filter=Q(lng__isnull=False)),
                          mean_lng=Avg("lng", filter=Q(lat__isnull=False)))):
        placed = row["placed"] >= MIN_PLACED
        districts[(row["centre_id"], row["district"])] = {
            "centre": row["centre_id"], "centre_name": names[row["centre_id"]], "district": row["district"],
            "total": row["n"], "lat": round(row["mean_lat"], DECIMALS) if placed else None,
            "lng": round(row["mean_lng"], DECIMALS) if placed else None,
            "statuses": dict.fromkeys(STATUS_GROUPS, 0), "work": defaultdict(int)}
    for row in open_needs.values("centre_id", "district", "status").order_by().annotate(n=Count("id")):
        districts[(row["centre_id"], row["district"])]["statuses"][GROUP_OF[row["status"]]] += row["n"]
    through = Need.work_types.through
    for row in (through.objects.filter(need__in=open_needs).values("need__centre_id", "need__district", "worktype_id")
                .order_by().annotate(n=Count("id"))):
        districts[(row["need__centre_id"], row["need__district"])]["work"][row["worktype_id"]] += row["n"]
    work_types = {w.pk: (w.code, str(w)) for w in WorkType.objects.all()}
    rows = []
    for key in sorted(districts, key=lambda k: (k[0], k[1])):
        d = districts[key]
        d["work"] = [{"code": work_types[pk][0], "label": work_types[pk][1], "n": n}
                     for pk, n in sorted(d["work"].items(), key=lambda item: -item[1]) if pk in work_types]
        rows.append(d)
    return {"centres": [{"id": c["id"], "name": c["name"]} for c in centres], "districts": rows,
            "min_placed": MIN_PLACED}


def prefecture_home(user) -> str:
    """Where the menu's 「県域」 link goes: the one disaster's overview, the choose page for several, or nothing
    (no prefecture standing: the link is not shown)."""
    from django.urls import reverse

    from ops import permissions

    if user is None or not user.is_authenticated or user.is_superuser:
        return ""  # an installation administrator reaches the disasters from the choose page
    disasters = list(permissions.prefecture_disasters(user).values_list("pk", flat=True)[:2])
    if not disasters:
        return ""
    if len(disasters) == 1:
        return reverse("prefecture:overview", kwargs={"disaster": disasters[0]})
    return reverse("home")
