"""Possible duplicates of a need being recorded: same phone, same name or kana at a similar address, or a
pin within ~50 m. Shown while typing and checked again before saving."""
import math
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mapping.geo import haversine_m
from ops import normalise
from ops.needs.models import Need

NEAR_M = 50.0
_DEG_LAT_PER_M = 1 / 111_320
ADDRESS_SIMILAR = 0.8

REASONS = {
    "phone": _("電話番号が同じ"),
    "name": _("氏名が同じ"),
    "kana": _("フリガナが同じ"),
    "address": _("住所が同じ"),
    "near": _("50m以内"),
}
WEIGHTS = {"phone": 100, "address": 60, "name": 40, "kana": 40, "near": 30}


@dataclass
class Match:
    need: Need
    reasons: list[str] = field(default_factory=list)
    distance_m: float | None = None

    @property
    def score(self) -> int:
        return sum(WEIGHTS[r] for r in self.reasons)

    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b).ratio() >= ADDRESS_SIMILAR


def find_duplicates(centre, *, phone: str = "", name: str = "", kana: str = "", address: str = "",
                    lat: float | None = None, lng: float | None = None, exclude_pk: int | None = None,
                    limit: int = 5) -> list[Match]:
    """The top matches, best first. A name alone is not a match (common surnames): it needs a similar
    address too. Uses the indexed keys and a bounding box, so it stays fast with thousands of needs."""
    phone_key = normalise.phone_key(phone)
    keys = {"name": normalise.name_key(name), "kana": normalise.kana_key(kana)}
    addr = normalise.address_key(address)
    query = Q()
    if len(phone_key) >= 10:
        query |= Q(phone_normalised=phone_key)
    if keys["name"]:
        query |= Q(name_key=keys["name"])
    if keys["kana"]:
        query |= Q(kana_key=keys["kana"])
    if len(addr) >= 4:
        query |= Q(address_key=addr)
    near = lat is not None and lng is not None
    if near:
        dlat = NEAR_M * _DEG_LAT_PER_M * 1.2
        dlng = dlat / max(0.2, math.cos(math.radians(lat)))
        query |= Q(lat__range=(lat - dlat, lat + dlat), lng__range=(lng - dlng, lng + dlng))
    if not query:
        return []
    candidates = Need.objects.filter(query, centre=centre, duplicate_of__isnull=True)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    matches = []
    for need in candidates.order_by("-received_at")[:200]:
        m = Match(need)
        if len(phone_key) >= 10 and need.phone_normalised == phone_key:
            m.reasons.append("phone")
        same_address = bool(addr) and _similar(need.address_key, addr)
        if same_address:
            m.reasons.append("address")
        for kind in ("name", "kana"):
            if keys[kind] and getattr(need, f"{kind}_key") == keys[kind] and (same_address or "phone" in m.reasons
                                                                           or not addr):
                m.reasons.append(kind)
        if near and need.lat is not None and need.lng is not None:
            m.distance_m = haversine_m(lat, lng, need.lat, need.lng)
            if m.distance_m <= NEAR_M:
                m.reasons.append("near")
        if m.reasons and m.reasons != ["name"] and m.reasons != ["kana"] and m.reasons != ["name", "kana"]:
            matches.append(m)
    matches.sort(key=lambda m: (-m.score, m.distance_m if m.distance_m is not None else 1e9))
    return matches[:limit]
