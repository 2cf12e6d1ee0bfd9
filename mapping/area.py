"""The prefecture view: every centre of one disaster on one map, for whoever may read the disaster's roll-up.

Who sees which centres is the roll-up's rule (ops/reports: the 集約報告 of a disaster covers all its centres and
is read by anyone with Cap.VIEW_REPORTS at one of them); each centre's points come at the precision the
registry (ops.privacy) gives the user *at that centre*, so a centre where they hold no role gives positions to
about 100 m and no welfare mark. No names, phones or addresses, as in the board's feed.

The feed is built in a fixed number of queries whatever the number of centres (the centres, the user's roles
at all of them, the needs with their work types), and written compactly: 60,000 needs are one array of
numbers each, with the few distinct strings (statuses, districts, work-type lists) in tables sent once.
"""
import json

from django.db.models import Q

from mapping.feed import DEFAULT_STATUSES, CodeList
from ops import permissions
from ops.centres.models import Centre
from ops.needs.models import Need
from ops.privacy import Sight

NEED = Need._meta.label


def area_centres(centre) -> list[Centre]:
    """The centres the prefecture view shows with `centre`: its disaster's, as the roll-up counts them."""
    return list(Centre.objects.filter(disaster_id=centre.disaster_id).order_by("id"))


def area_feed_bytes(user, centres: list[Centre], *, statuses=DEFAULT_STATUSES, board_url=None) -> bytes:
    """{"centres": [{id, name, lat, lng, seq, board}], "statuses": [...], "districts": [...], "work": [[codes]],
    "needs": [[id, lng, lat, centre, status, number, district, work, people, priority, welfare], ...]}: the
    indexes point into the tables."""
    permissions.read_standings(user, centres)  # one query for every centre's roles
    sights = {c.pk: Sight(permissions.caps_of(user, c)) for c in centres}
    index = {c.pk: i for i, c in enumerate(centres)}
    decimals = {c.pk: sights[c.pk].decimals(NEED, "lat") for c in centres}
    welfare_shown = {c.pk: sights[c.pk].shows(NEED, "welfare") for c in centres}
    rows = (Need.objects.filter(centre_id__in=list(index), status__in=statuses)
            .filter(~Q(lat=None), ~Q(lng=None)).order_by().annotate(codes=CodeList("work_types__code"))
            .values_list("id", "centre_id", "status", "lat", "lng", "district", "priority", "people_needed",
                         "welfare", "number", "codes"))
    tables = {"statuses": _Table(), "districts": _Table(), "work": _Table()}
    status_of, district_of, work_of = (tables[k] for k in ("statuses", "districts", "work"))
    parts = []
    for need_id, centre_id, status, lat, lng, district, priority, people, welfare, number, codes in rows:
        places = decimals[centre_id]
        wf = 1 if welfare_shown[centre_id] and welfare != "none" else 0
        work = ",".join(sorted(codes.split(","))) if codes else ""
        parts.append(f"[{need_id},{round(lng, places)!r},{round(lat, places)!r},{index[centre_id]},"
                     f"{status_of[status]},{number},{district_of[district]},{work_of[work]},{people},{priority},{wf}]")
    head = {
        "centres": [{"id": c.pk, "name": c.name, "slug": c.slug, "lat": c.lat, "lng": c.lng, "seq": c.event_seq,
                     "board": board_url(c) if board_url and permissions.can(user, c, permissions.Cap.DISPATCH)
                     else ""} for c in centres],
        "statuses": list(status_of), "districts": list(district_of),
        "work": [w.split(",") if w else [] for w in work_of],
    }
    prefix = json.dumps(head, ensure_ascii=False)[:-1]
    return f'{prefix},"needs":[{",".join(parts)}]}}'.encode()


class _Table(dict):
    """A value's index in the order first seen: {value: index}, listed in that order."""

    def __missing__(self, key):
        value = self[key] = len(self)
        return value
