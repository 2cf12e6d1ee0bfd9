"""The needs feed for the map board: a compact GeoJSON FeatureCollection with only what the map draws.

No names, phones or addresses: a point, a status, a district, work types, how many people are needed and
how many are already on site. Coordinates are rounded to 5 decimals (about 1 m).
"""
import json

from django.db.models import Sum

from ops.dispatch.models import Dispatch
from ops.events import last_seq
from ops.needs.models import Need, NeedStatus, WorkType
from ops.needs.transitions import OPEN

DEFAULT_STATUSES = tuple(s for s in NeedStatus.values if s in OPEN)


class FeedError(ValueError):
    """Bad filter input (answered with 400)."""


def parse_statuses(value: str | None) -> tuple[str, ...]:
    if not value:
        return DEFAULT_STATUSES
    statuses = tuple(dict.fromkeys(s.strip() for s in value.split(",") if s.strip()))
    unknown = [s for s in statuses if s not in NeedStatus.values]
    if unknown or not statuses:
        raise FeedError("unknown status: " + ",".join(unknown)[:100])
    return statuses


def needs_feed(centre, *, bbox=None, statuses=DEFAULT_STATUSES, district=None, work_type=None) -> dict:
    """Needs of the centre with a location, as GeoJSON, plus `seq`: the board applies events after it."""
    seq = last_seq(centre.pk)  # read first: an event racing the query is then applied again, harmlessly
    qs = Need.objects.filter(centre=centre, status__in=statuses, lat__isnull=False, lng__isnull=False)
    if bbox is not None:
        qs = bbox.filter(qs)
    if district:
        qs = qs.filter(district=district)
    if work_type:
        qs = qs.filter(work_types__code=work_type)
    rows = list(qs.order_by().values_list("id", "number", "status", "lat", "lng", "district", "priority",
                                          "people_needed", "welfare"))
    codes = dict(WorkType.objects.values_list("id", "code"))
    work = {}
    for need_id, wt_id in (Need.work_types.through.objects.filter(need__in=qs.values("id"))
                           .values_list("need_id", "worktype_id")):
        work.setdefault(need_id, []).append(codes[wt_id])
    on_site = dict(Dispatch.objects.filter(centre=centre, status=Dispatch.Status.ACTIVE)
                   .values("need_id").annotate(n=Sum("people")).values_list("need_id", "n"))

    features = []
    for need_id, number, status, lat, lng, district_, priority, people, welfare in rows:
        props = {"n": number, "s": status, "d": district_, "w": sorted(work.get(need_id, ())), "p": people,
                 "pr": priority}
        if welfare != Need.Welfare.NONE:
            props["wf"] = 1
        if need_id in on_site:
            props["a"] = on_site[need_id]
        features.append({"type": "Feature", "id": need_id,
                         "geometry": {"type": "Point", "coordinates": [round(lng, 5), round(lat, 5)]},
                         "properties": props})
    return {"type": "FeatureCollection", "seq": seq, "features": features}


def encode(feed: dict) -> bytes:
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode()
