"""A drill's scenario (訓練シナリオ): a TOML file under ops/drills/scenarios/ (or a directory of
settings.DRILL_SCENARIO_DIRS) holding one day of a centre as a drill designer writes it: the starting point
(`setup`: bases, tools, supplies, the needs already open, the centre's rules) and the `timeline` of what
happens on the scenario's clock (volunteers arriving, phones ringing, residents at the counter, web requests,
teams coming back, 状況付与 for the staff).

`load` reads and checks a file and expands the counted entries (300 arrivals spread over 40 minutes, 77
ordinary calls spread over the morning) into one entry per person or call, so that each played entry is one
Cue the review can follow. Everything is deterministic: the same file gives the same entries, people, phones
and positions every time, and `set_up` writes the same rows in the same order (the reset relies on it).

Fictional people only. Their phones are in the 0X0-0000-XXXX block: like ops.season.cast's 0X0-0xxx range,
numbers no carrier gives a subscriber, so a drill can never text or call a real person by mistake. Simulated
volunteers register with no e-mail address, so no mail ever leaves for someone who does not exist.
"""
from __future__ import annotations

import random
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ops.season import cast

SHIPPED = Path(__file__).resolve().parent / "scenarios"
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
FICTIONAL_PHONE = re.compile(r"^0[789]0-0000-\d{4}$")
KINDS = ("arrival", "call", "walk_in", "web_request", "team_return", "inject")
COUNTED = {"arrivals": "arrival", "calls": "call"}  # entries with a count, expanded by load
OUTCOMES = ("completed", "continue", "could_not")
ACTIONS = ("", "suspend", "open_satellite", "check_team", "crisis")


class ScenarioError(ValueError):
    """A scenario file that cannot be played: the message names the file and the entry."""


@dataclass(frozen=True)
class Entry:
    """One played moment of the timeline: `at` scenario seconds after the day's start; `detail` is the entry
    as written (for an expanded one, the person's or caller's own details), kept on its Cue."""

    index: int
    at: int
    kind: str
    detail: dict

    @property
    def clock(self) -> str:
        return self.detail["at"]


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    day_start: time
    day_end: time
    latest_return: time
    setup: dict
    timeline: tuple[Entry, ...] = field(default=())

    @property
    def length(self) -> int:
        """The scenario day's length in scenario seconds (the last moment of the clock)."""
        return _seconds(self.day_end) - _seconds(self.day_start)

    def seconds_of(self, clock: time) -> int:
        return _seconds(clock) - _seconds(self.day_start)

    def clock_at(self, seconds: float) -> str:
        """"HH:MM" on the scenario's clock, `seconds` after its start."""
        minutes = int(_seconds(self.day_start) + max(seconds, 0)) // 60
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    def localized_title(self, language: str) -> str:
        return self.title_en if language.startswith("en") and self.title_en else self.title

    def localized_summary(self, language: str) -> str:
        return self.summary_en if language.startswith("en") and self.summary_en else self.summary


def _seconds(clock: time) -> int:
    return clock.hour * 3600 + clock.minute * 60


def directories() -> list[Path]:
    """Where scenario files are looked for: the settings' directories first (a test's own), then the shipped."""
    return [Path(d) for d in getattr(settings, "DRILL_SCENARIO_DIRS", ())] + [SHIPPED]


def path_of(name: str) -> Path | None:
    if not isinstance(name, str) or not NAME.match(name):
        return None
    for directory in directories():
        path = directory / f"{name}.toml"
        if path.is_file():
            return path
    return None


def available() -> list[Scenario]:
    """Every scenario that loads, by name (a broken file is left out here; `load` names its fault)."""
    names = sorted({p.stem for d in directories() if d.is_dir() for p in d.glob("*.toml") if NAME.match(p.stem)})
    found = []
    for name in names:
        try:
            found.append(load(name))
        except ScenarioError:
            continue
    return found


def load(name: str) -> Scenario:
    """The scenario `name`, checked and expanded; ScenarioError naming the file and the entry otherwise."""
    path = path_of(name)
    if path is None:
        raise ScenarioError(f"no scenario named {name!r}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ScenarioError(f"{path.name}: {err}") from None
    return parse(name, data, where=path.name)


def parse(name: str, data: dict, *, where: str = "") -> Scenario:
    where = where or name

    def fail(problem: str):
        raise ScenarioError(f"{where}: {problem}")

    for key in ("title", "day_start", "day_end"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            fail(f"'{key}' is missing")
    start, end = _clock(data["day_start"], fail, "day_start"), _clock(data["day_end"], fail, "day_end")
    if not start < end:
        fail("day_end must be after day_start")
    setup = data.get("setup", {})
    if not isinstance(setup, dict):
        fail("'setup' must be a table")
    latest = _clock(setup.get("latest_return", data["day_end"]), fail, "setup.latest_return")
    if not start < latest <= end:
        fail("setup.latest_return must be within the day")
    _check_setup(setup, fail)
    raw = data.get("timeline")
    if not isinstance(raw, list) or not raw:
        fail("'timeline' has no entries")
    made: list[tuple[int, int, dict]] = []  # (at, order written, detail)
    counters = {"volunteer": 0, "caller": 0}
    for i, entry in enumerate(raw):
        label = f"timeline[{i}]"
        if not isinstance(entry, dict):
            fail(f"{label} is not a table")
        kind = entry.get("kind")
        label = f"timeline[{i}] ({entry.get('at', '?')}, {kind})"
        at_clock = _clock(entry.get("at"), fail, label + " at")
        if not start <= at_clock <= end:
            fail(f"{label}: 'at' is outside the day ({data['day_start']}–{data['day_end']})")
        at = _seconds(at_clock) - _seconds(start)
        for detail_at, detail in _expand(entry, kind, at, i, counters, lambda p, lab=label: fail(f"{lab}: {p}")):
            if detail_at > _seconds(end) - _seconds(start):
                fail(f"{label}: spread past the end of the day")
            made.append((detail_at, len(made), detail))
    made.sort(key=lambda m: (m[0], m[1]))
    entries = []
    for index, (at, _order, detail) in enumerate(made):
        minutes = (_seconds(start) + at) // 60
        detail = {**detail, "at": f"{minutes // 60:02d}:{minutes % 60:02d}"}
        entries.append(Entry(index=index, at=at, kind=detail["kind"], detail=detail))
    return Scenario(name=name, title=data["title"].strip(), title_en=str(data.get("title_en", "")).strip(),
                    summary=str(data.get("summary", "")).strip(), summary_en=str(data.get("summary_en", "")).strip(),
                    day_start=start, day_end=end, latest_return=latest, setup=setup, timeline=tuple(entries))


def _clock(value, fail, label) -> time:
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        fail(f"{label}: write the time as \"HH:MM\"")
    hour, minute = (int(x) for x in value.strip().split(":"))
    if hour > 23 or minute > 59:
        fail(f"{label}: no such time {value!r}")
    return time(hour, minute)


def _whole(entry: dict, key: str, fail, *, default=None, low=0, high=10000) -> int:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        fail(f"'{key}' must be a whole number from {low} to {high}")
    return value


def _text(entry: dict, key: str, fail, *, required=True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        fail(f"'{key}' is missing")
    return value.strip()


def _check_setup(setup: dict, fail) -> None:
    for key in ("bases", "tools", "supplies", "needs"):
        rows = setup.get(key, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            fail(f"setup.{key} must be a list of tables")
    for i, base in enumerate(setup.get("bases", [])):
        _text(base, "name", lambda p, i=i: fail(f"setup.bases[{i}]: {p}"))
    for key in ("tools", "supplies"):
        for i, row in enumerate(setup.get(key, [])):
            bad = lambda p, i=i, key=key: fail(f"setup.{key}[{i}]: {p}")  # noqa: E731
            _text(row, "name", bad)
            _whole(row, "count", bad, low=0, high=100000)
    for i, need in enumerate(setup.get("needs", [])):
        _check_resident(need, lambda p, i=i: fail(f"setup.needs[{i}]: {p}"))
    capacity = setup.get("capacity", 500)
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 0 <= capacity <= 100000:
        fail("setup.capacity must be a whole number")


def _check_resident(entry: dict, fail) -> None:
    for key in ("caller", "kana", "address", "says"):
        _text(entry, key, fail)
    if not FICTIONAL_PHONE.match(str(entry.get("phone", ""))):
        fail("'phone' must be a fictional number 0X0-0000-XXXX (no real person may be rung)")
    work = entry.get("work", [])
    if not isinstance(work, list) or not work or not all(isinstance(w, str) for w in work):
        fail("'work' must list the work types (e.g. [\"mud\"])")
    offset = entry.get("offset", [0, 0])
    if (not isinstance(offset, list) or len(offset) != 2
            or not all(isinstance(x, int | float) and abs(x) < 0.1 for x in offset)):
        fail("'offset' must be [north, east] in degrees from the centre (under 0.1)")


def _expand(entry: dict, kind, at: int, i: int, counters: dict, fail):
    """(at, detail) of each entry one written entry plays: counted ones become one per person or call."""
    if kind in COUNTED:
        count = _whole(entry, "count", fail, low=1, high=2000)
        over = _whole(entry, "over", fail, default=0, low=0, high=24 * 60)
        seed = _whole(entry, "seed", fail, default=i, low=0, high=10 ** 9)
        rng = random.Random(seed)
        for k in range(count):
            spread = at + (over * 60 * k) // count
            if kind == "arrivals":
                counters["volunteer"] += 1
                base = {"base": _text(entry, "base", fail)} if "base" in entry else {}
                yield spread, {"kind": "arrival", **_person(counters["volunteer"]), **base}
            else:
                counters["caller"] += 1
                yield spread, {"kind": "call", **_ordinary_call(counters["caller"], rng)}
        return
    if kind not in KINDS:
        fail(f"unknown kind {kind!r} (one of {', '.join(KINDS + tuple(COUNTED))})")
    detail = {key: value for key, value in entry.items() if key != "at"}
    if kind == "arrival":
        group = _text(entry, "group", fail)
        _whole(entry, "count", fail, low=2, high=500)
        counters["volunteer"] += 1
        detail.update(_person(counters["volunteer"]), group=group)
        detail["leader"], detail["leader_kana"] = _text(entry, "leader", fail), _text(entry, "leader_kana", fail)
        detail["name"], detail["kana"] = detail["leader"], detail["leader_kana"]
    elif kind in ("call", "walk_in", "web_request"):
        _check_resident(entry, fail)
        if not isinstance(entry.get("crisis", False), bool):
            fail("'crisis' is true or false")
    elif kind == "team_return":
        _whole(entry, "teams", fail, default=1, low=1, high=50)
        _whole(entry, "after", fail, default=60, low=0, high=24 * 60)
        outcomes = entry.get("outcomes", ["completed"])
        if not isinstance(outcomes, list) or not outcomes or any(o not in OUTCOMES for o in outcomes):
            fail(f"'outcomes' lists some of {', '.join(OUTCOMES)}")
        _whole(entry, "hold", fail, default=0, low=0, high=10)
        if not isinstance(entry.get("late", False), bool):
            fail("'late' is true or false")
    elif kind == "inject":
        _text(entry, "text", fail)
        if entry.get("expect", "") not in ACTIONS:
            fail(f"'expect' is one of {', '.join(a for a in ACTIONS if a)}")
    yield at, detail


def _person(n: int) -> dict:
    """Simulated volunteer number n: a fictional name, a 090-0000 phone, no e-mail (no mail leaves for them)."""
    surname, surname_kana = cast.SURNAMES[n % len(cast.SURNAMES)]
    given, given_kana = cast.YOUNG_GIVEN[(n * 7) % len(cast.YOUNG_GIVEN)]
    return {"n": n, "name": f"{surname} {given}", "kana": f"{surname_kana} {given_kana}",
            "phone": f"090-0000-{n:04d}", "age_band": cast.AGES[n % len(cast.AGES)]}


def _ordinary_call(n: int, rng: random.Random) -> dict:
    """An ordinary call of a counted `calls` entry: a resident from the season's cast with one of its requests."""
    district, stem, dlat, dlng = cast.DISTRICTS[n % len(cast.DISTRICTS)]
    (sur, sur_k), (giv, giv_k) = rng.choice(cast.SURNAMES), rng.choice(cast.ELDER_GIVEN)
    work, text, people, _days, _damage = cast.REQUESTS[n % len(cast.REQUESTS)]
    address = f"{stem}{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    household = list(cast.HOUSEHOLDS[n % len(cast.HOUSEHOLDS)])
    return {"caller": f"{sur} {giv}", "kana": f"{sur_k} {giv_k}", "phone": f"080-0000-{n:04d}",
            "address": address, "district": district, "work": list(work), "people": people,
            "household": household,
            "offset": [round(-0.004 + dlat + rng.uniform(-0.003, 0.003), 6),
                       round(0.004 + dlng + rng.uniform(-0.003, 0.003), 6)],
            "says": f"もしもし、{address}の{sur}です。{text}", "crisis": False}


# --- the starting point ---------------------------------------------------------------------------------------

def set_up(centre, scenario: Scenario) -> None:
    """Write the scenario's starting point at the drill centre through the real services: the centre's rules,
    its bases, tools and supplies, and the needs already open. The same rows, in the same order, with the same
    values every time (the reset calls it on a wiped centre). Refuses a real centre."""
    from ops.centres import bases, services
    from ops.centres.models import Base, Centre
    from ops.dispatch.services.consumables import add_consumable
    from ops.dispatch.services.ledger import add_kind
    from ops.needs.services import record_need

    if not centre.is_drill:
        raise ScenarioError("set_up writes only at a drill centre")
    setup = scenario.setup
    with transaction.atomic():
        # The scenario's own hours (start fits them to the compressed day; the reset finds them here again).
        services.set_hours(centre, activity_start=scenario.day_start, latest_return_time=scenario.latest_return,
                           activity_end=scenario.day_end, report_time=scenario.day_end)
        services.set_recruitment(centre, status=setup.get("recruitment", Centre.Recruitment.RECRUITING),
                                 scope=setup.get("scope", Centre.Scope.NATIONAL),
                                 capacity=setup.get("capacity", 500))
        services.set_notices(centre, notice=setup.get("notice", ""), what_to_bring=setup.get("what_to_bring", ""))
        known = set(Base.objects.filter(centre=centre).values_list("name", flat=True))
        if not Base.objects.filter(centre=centre, kind=Base.Kind.HQ).exists():  # a wiped centre: its 本部 first
            bases.save_base(centre, name="本部", kind=Base.Kind.HQ, address=centre.address, lat=centre.lat,
                            lng=centre.lng, daily_capacity="")
        for base in setup.get("bases", []):
            if base["name"] in known:
                continue
            north, east = base.get("offset", [0, 0])
            bases.save_base(centre, name=base["name"], kind=base.get("kind", Base.Kind.SATELLITE),
                            address=base.get("address", ""), lat=round(centre.lat + north, 6),
                            lng=round(centre.lng + east, 6), daily_capacity=base.get("capacity", ""))
        for tool in setup.get("tools", []):
            add_kind(centre=centre, name=tool["name"], unit=tool.get("unit", ""), quantity=tool["count"],
                     note="訓練の開始時")
        for item in setup.get("supplies", []):
            add_consumable(centre=centre, name=item["name"], unit=item.get("unit", ""), quantity=item["count"])
        for need in setup.get("needs", []):
            record_need(centre=centre, actor="drill", **need_fields(centre, need, channel="phone"))


def need_fields(centre, entry: dict, *, channel: str) -> dict:
    """record_need's fields for a resident of the scenario (a need open at the start, or a web request)."""
    north, east = entry.get("offset", [0, 0])
    return {
        "channel": channel, "requester_type": "resident", "requester_name": entry["caller"],
        "requester_kana": entry["kana"], "phone": entry["phone"],
        "address": f"{centre.municipality}{entry['address']}", "district": entry.get("district", ""),
        "lat": round(centre.lat + north, 6), "lng": round(centre.lng + east, 6), "work_types": entry["work"],
        "description": entry.get("description") or entry["says"], "people_needed": entry.get("people", 3),
        "household": entry.get("household", []), "consent_share": True,
    }
