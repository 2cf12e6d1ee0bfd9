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


def _municipalities(prefecture: str = "") -> list[tuple[tuple[str, ...], tuple[str, str], str]]:
    """Every loaded municipality (of the prefecture, if one was typed): (the keys it may be typed as,
    (prefecture, city), its key in AddressPoint.city_key)."""
    rows = AddressImport.objects.values_list("prefecture", "city").distinct()
    return [(city_aliases(c), (p, c), city_key(p + c)) for p, c in rows if not prefecture or p == prefecture]


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


def _in_town(rest: str, ckey: str, tkey: str, names: tuple[str, str]) -> Candidate | None:
    """The block typed after the town, or else the town itself."""
    block = _after_town(rest[len(tkey):])
    if block:
        point = (AddressPoint.objects.filter(city_key=ckey, town_key=tkey, block_key=block, level=Level.BLOCK)
                 .order_by("-representative", "pk").first())
        if point is not None:
            return Candidate(point.lat, point.lng, _label(*names, point.town, point.koaza, point.block), BLOCK)
    return _town_candidate(ckey, tkey, names)


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
    municipality: an address typed without one is looked for in every loaded municipality, the centre's first."""
    prefecture, rest = query_key(text)
    if not rest:
        return []
    municipalities = _municipalities(prefecture)
    named = [(alias, names, ckey) for aliases, names, ckey in municipalities for alias in aliases
             if rest.startswith(alias)]
    if named:
        longest = max(len(alias) for alias, _names, _ckey in named)
        scopes = {ckey: names for alias, names, ckey in named if len(alias) == longest}
        rest = rest[longest:]
    else:
        scopes = {ckey: names for _aliases, names, ckey in municipalities}
    rest = re.sub(r"^字", "", rest)
    home = {ckey for ckey, names in scopes.items() if names[1] == home_city}
    towns: dict[str, str] = {}  # each municipality's longest town key that the text starts with
    for ckey, tkey in (AddressPoint.objects.filter(town_key__in=_town_prefixes(rest))
                       .values_list("city_key", "town_key").distinct()):
        if ckey in scopes and len(tkey) > len(towns.get(ckey, "")):
            towns[ckey] = tkey
    found = [c for c in (_in_town(rest, ckey, towns[ckey], scopes[ckey])
                         for ckey in sorted(towns, key=lambda k: (k not in home, k))) if c]
    if not found:
        fallback = list(scopes) if named else sorted(home)
        for ckey in fallback[:1]:
            found = _towns_starting(rest, ckey, scopes[ckey])
            if not found and named:
                found = [c for c in [_city_candidate(ckey, scopes[ckey])] if c]
    found.sort(key=lambda c: RANK[c.level])  # stable: the centre's municipality stays first within a level
    return found[:MAX_RESULTS]
