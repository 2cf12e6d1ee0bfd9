"""The needs feed for the map board: a compact GeoJSON FeatureCollection with only what the map draws.

No names, phones or addresses: a point, a status, a district, work types, how many people are needed and
how many are already on site. Coordinates are rounded to the precision the registry (ops.privacy) gives the
role: 5 decimals (about 1 m) for roles that see residents' data, 3 (about 100 m) otherwise; the welfare
mark only for roles that see it.
"""
import json

from django.db.models import Aggregate, CharField, Sum

from ops.dispatch.models import Dispatch
from ops.events import last_seq
from ops.needs.models import Need, NeedStatus
from ops.needs.transitions import OPEN
from ops.privacy import Sight

NEED = Need._meta.label

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


class CodeList(Aggregate):
    """Comma-joined codes of a many-to-many (STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def needs_feed(centre, *, sight: Sight, bbox=None, statuses=DEFAULT_STATUSES, district=None, work_type=None) -> dict:
    """Needs of the centre with a location, as GeoJSON, plus `seq`: the board applies events after it."""
    return json.loads(feed_bytes(centre, sight=sight, bbox=bbox, statuses=statuses, district=district,
                                 work_type=work_type))


def feed_bytes(centre, *, sight: Sight, bbox=None, statuses=DEFAULT_STATUSES, district=None,
               work_type=None) -> bytes:
    """The feed as UTF-8 JSON, written directly: 10,000 needs in one query and one pass, no dict per need."""
    seq = last_seq(centre.pk)  # read first: an event racing the query is then applied again, harmlessly
    qs = Need.objects.filter(centre=centre, status__in=statuses, lat__isnull=False, lng__isnull=False)
    if bbox is not None:
        qs = bbox.filter(qs)
    if district:
        qs = qs.filter(district=district)
    if work_type:
        qs = qs.filter(pk__in=Need.work_types.through.objects.filter(worktype__code=work_type).values("need_id"))
    rows = (qs.order_by().annotate(codes=CodeList("work_types__code"))
            .values_list("id", "number", "status", "lat", "lng", "district", "priority", "people_needed",
                         "welfare", "codes"))
    on_site = dict(Dispatch.objects.active().filter(centre=centre)
                   .values("need_id").annotate(n=Sum("people")).values_list("need_id", "n"))

    # an open partner job's mark (its status); imported here: mapping.selectors imports this module
    from mapping.selectors import open_job_marks
    partner = open_job_marks(centre)

    decimals = sight.decimals(NEED, "lat")
    welfare_shown = sight.shows(NEED, "welfare")
    text = _Cache(lambda v: json.dumps(v, ensure_ascii=False))
    codes = _Cache(lambda v: json.dumps(sorted(v.split(",")) if v else []))
    parts = []
    for need_id, number, status, lat, lng, district_, priority, people, welfare, wt in rows:
        extra = ',"wf":1' if welfare_shown and welfare != "none" else ""
        if need_id in on_site:
            extra += f',"a":{on_site[need_id]}'
        if need_id in partner:
            extra += f',"pj":"{partner[need_id]}"'
        parts.append(
            f'{{"type":"Feature","id":{need_id},"geometry":{{"type":"Point","coordinates":'
            f'[{round(lng, decimals)!r},{round(lat, decimals)!r}]}},"properties":{{"n":{number},"s":{text[status]},'
            f'"d":{text[district_]},"w":{codes[wt]},"p":{people},"pr":{priority}{extra}}}}}')
    return f'{{"type":"FeatureCollection","seq":{seq},"features":[{",".join(parts)}]}}'.encode()


class _Cache(dict):
    """JSON fragments of the few distinct values (statuses, districts, code lists), encoded once."""

    def __init__(self, encode):
        super().__init__()
        self.encode = encode

    def __missing__(self, key):
        value = self[key] = self.encode(key)
        return value
