"""Finding a typed address in the imported reference data (mapping.models.AddressPoint).

The typed text and the data meet through mapping.addresses.normalise's keys: the municipality is read from the
text (or, when the text leaves it out, every loaded municipality is tried, the centre's own first), the longest
town key the text starts with is its 大字・町丁目, and the first number after it its 街区符号・地番. Each
candidate says how far it matched, in words staff read (CONFIDENCE).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.db.models import Avg
from django.utils.translation import gettext_lazy as _

from mapping.addresses.normalise import city_aliases, city_key, query_key
from mapping.models import AddressImport, AddressPoint, Level

BLOCK, TOWN, CITY, NONE, ONLINE = "block", "town", "city", "none", "online"
CONFIDENCE = {
    BLOCK: _("番地・街区まで一致"),
    TOWN: _("町丁目まで一致"),
    CITY: _("市区町村のみ（位置は市区町村の中心）"),
    ONLINE: _("オンライン検索（国土地理院）の結果"),
    NONE: _("見つかりません"),
}
RANK = {BLOCK: 0, ONLINE: 1, TOWN: 2, CITY: 3}
MAX_RESULTS = 5
_FIRST_NUMBER = re.compile(r"^-?(\d+)")


@dataclass
class Candidate:
    lat: float
    lng: float
    label: str
    level: str

    @property
    def confidence(self) -> str:
        return str(CONFIDENCE[self.level])

    def as_json(self) -> dict:
        return {**asdict(self), "lat": round(self.lat, 7), "lng": round(self.lng, 7), "confidence": self.confidence}


def _municipalities() -> dict[str, tuple[str, str]]:
    """Every loaded municipality by each key it may be typed as: {key: (prefecture, city)}."""
    found = {}
    for prefecture, city in AddressImport.objects.values_list("prefecture", "city").distinct():
        for alias in city_aliases(city):
            found.setdefault(alias, (prefecture, city))
    return found


def _town_prefixes(rest: str) -> list[str]:
    """Every beginning of `rest` that may be a whole town key: it ends where a dash, a number after a name,
    a 小字's 字, or the end follows (中央1 in 中央1-12-5; 川端町 in 川端町5-3; 若宮 in 若宮字北原123; not 中央 in
    中央1-12-5)."""
    out = []
    for i in range(1, min(len(rest), 80) + 1):
        head, after = rest[:i], rest[i:]
        if not after or after[0] in "-字" or (after[0].isdigit() and not head[-1].isdigit()):
            out.append(head)
    return out


def _after_town(after: str) -> str | None:
    """The 街区符号・地番 after the town, past a 小字 (字北原) if one was typed: '-12-5' -> '12'."""
    after = after.lstrip("-")
    if after and not after[0].isdigit():
        after = re.sub(r"^字?\D*", "", after)
    m = _FIRST_NUMBER.match(after)
    return m.group(1) if m else None


def _label(prefecture: str, city: str, town: str = "", koaza: str = "", block: str = "") -> str:
    return f"{prefecture}{city}{town}{koaza}" + (f" {block}" if block else "")


def _town_candidate(city_key_: str, town_key_: str, names: tuple[str, str]) -> Candidate | None:
    points = AddressPoint.objects.filter(city_key=city_key_, town_key=town_key_)
    town_row = points.filter(level=Level.TOWN).first()
    if town_row is not None:
        return Candidate(town_row.lat, town_row.lng, _label(*names, town_row.town), TOWN)
    centre = points.aggregate(lat=Avg("lat"), lng=Avg("lng"))
    first = points.only("town").first()
    if first is None:
        return None
    return Candidate(centre["lat"], centre["lng"], _label(*names, first.town), TOWN)


def _city_candidate(city_key_: str, names: tuple[str, str]) -> Candidate | None:
    centre = AddressPoint.objects.filter(city_key=city_key_).aggregate(lat=Avg("lat"), lng=Avg("lng"))
    if centre["lat"] is None:
        return None
    return Candidate(centre["lat"], centre["lng"], _label(*names), CITY)


def _in_city(rest: str, ckey: str, names: tuple[str, str]) -> list[Candidate]:
    rest = re.sub(r"^字", "", rest)
    towns = list(AddressPoint.objects.filter(city_key=ckey, town_key__in=_town_prefixes(rest))
                 .values_list("town_key", flat=True).distinct())
    if not towns:
        return []
    tkey = max(towns, key=len)
    block = _after_town(rest[len(tkey):])
    if block:
        point = (AddressPoint.objects.filter(city_key=ckey, town_key=tkey, block_key=block, level=Level.BLOCK)
                 .order_by("-representative", "pk").first())
        if point is not None:
            return [Candidate(point.lat, point.lng, _label(*names, point.town, point.koaza, point.block), BLOCK)]
    town = _town_candidate(ckey, tkey, names)
    return [town] if town else []


def _towns_starting(rest: str, ckey: str, names: tuple[str, str]) -> list[Candidate]:
    """Towns whose name begins with what was typed (中央 -> 中央一丁目, 中央二丁目, ...), when no town matched whole."""
    stem = re.match(r"^\D+", rest)
    if not stem:
        return []
    keys = (AddressPoint.objects.filter(city_key=ckey, town_key__startswith=stem.group(0))
            .values_list("town_key", flat=True).distinct().order_by("town_key")[:200])
    keys = sorted(keys, key=_natural)[:MAX_RESULTS]  # 中央2 before 中央12
    return [c for c in (_town_candidate(ckey, k, names) for k in keys) if c]


def _natural(key: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key)]


def geocode_local(text: str, *, home_city: str = "") -> list[Candidate]:
    """Candidates for a typed address, best first (at most MAX_RESULTS). `home_city` is the centre's
    municipality: an address typed without one is looked for there first, then in every loaded municipality."""
    prefecture, rest = query_key(text)
    if not rest:
        return []
    known = _municipalities()
    named = next(((alias, known[alias]) for alias in sorted(known, key=len, reverse=True)
                  if rest.startswith(alias)), None)
    if named:
        alias, names = named
        cities = [(city_key(names[1]), names, rest[len(alias):])]
    else:
        home = city_key(home_city)
        order = sorted({(city_key(c), (p, c)) for p, c in known.values() if not prefecture or p == prefecture},
                       key=lambda kc: (kc[0] != home, kc[0]))
        cities = [(ckey, names, rest) for ckey, names in order]
    found: list[Candidate] = []
    for ckey, names, city_rest in cities:
        found += _in_city(city_rest, ckey, names)
    if not found and named:
        ckey, names, city_rest = cities[0]
        found = _towns_starting(city_rest, ckey, names) or [c for c in [_city_candidate(ckey, names)] if c]
    found.sort(key=lambda c: RANK[c.level])  # stable: the centre's municipality stays first within a level
    return found[:MAX_RESULTS]
