"""Every role walks every page it can reach over a season made by the real services: no server error, no raw
code where words belong, and nobody reads a resident's or a volunteer's personal data (or a household's exact
position) unless their role needs it."""
from __future__ import annotations

import re
import time

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from ops.centres.models import Base, Role
from ops.needs.models import Need
from ops.volunteers.models import Volunteer
from ops.welfare.models import Contact
from tests.season.conftest import ROLES
from tests.season.crawl import crawl

pytestmark = [pytest.mark.django_db, pytest.mark.pg, pytest.mark.timeout(900)]

SEES_RESIDENTS = {Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.WELFARE}
SEES_VOLUNTEERS = {Role.ADMIN, Role.COORDINATOR, Role.RECEPTION}
# Token pages are their holder's own (a resident's request, a leader's slip, a volunteer's page): not crawled
# as a role, and checked by their own tests.
TOKEN_PAGE = re.compile(r"^/(r|s|v|g)/")
CODE = re.compile(r"(?<![\w@/.-])[a-z][a-z0-9]*(?:[._][a-z0-9]+)+(?![\w@/-]|\.[a-z])")
# Latin abbreviations English prose uses: not codes.
PROSE = {"e.g", "i.e", "a.m", "p.m"}
NUMBER = re.compile(r"(?<![\d.])(\d{2,3}\.\d{4,})(?!\d)")


def _all_codes() -> set[str]:
    """Every stored code a page could print instead of its label: choices' values and event kinds."""
    codes = set()
    for model in apps.get_models():
        if not model.__module__.startswith("ops."):
            continue
        for f in model._meta.get_fields():
            if isinstance(f, models.Field) and f.choices:
                codes |= {str(v) for v, _label in f.flatchoices if isinstance(v, str) and ("_" in v or "." in v)}
    from ops.centres.models import Event

    codes |= set(Event.objects.values_list("kind", flat=True).distinct())
    return codes


def _bare_codes() -> set[str]:
    """Codes without a separator ('mud', 'ready', 'above_floor' aside): a text on its own that is one of these
    is a code shown where a label belongs (a survey's 作業区分 read 'mud')."""
    from ops.needs.models import WorkType

    codes = set(WorkType.objects.values_list("code", flat=True))
    for model in apps.get_models():
        if model.__module__.startswith("ops."):
            for f in model._meta.get_fields():
                if isinstance(f, models.Field) and f.choices:
                    codes |= {v for v, _label in f.flatchoices if isinstance(v, str) and re.fullmatch(r"[a-z]{3,}", v)}
    return codes


def _login(role, users, language="ja") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)
    if role is not None:
        client.force_login(users[role])
    if language != "ja":
        client.cookies["django_language"] = language
    return client


def _object_pages(season) -> list[str]:
    centre = season.centre
    c, api = f"/c/{centre.slug}", f"/api/v1/centres/{centre.slug}"
    urls = [f"{c}/", f"/p/{centre.slug}/", f"/p/{centre.slug}/board.json", f"{c}/board/snapshot.json",
            f"{c}/volunteers/reception/counts.json", f"{c}/map/needs.geojson", "/api/v1/centres/",
            f"{api}/figures/", f"{api}/needs/", f"{api}/teams/", f"{api}/teams/waiting/", f"{api}/dispatches/",
            f"/api/v1/public/centres/{centre.slug}/status/", f"{c}/reports/archive/", f"{c}/audit/"]
    for pk in Need.objects.filter(centre=centre).values_list("pk", flat=True):
        urls += [f"{c}/needs/{pk}/", f"{c}/needs/{pk}/card/", f"{c}/needs/{pk}/slip/", f"{c}/map/needs/{pk}.json",
                 f"{api}/needs/{pk}/"]
    for pk in centre.teams.values_list("pk", flat=True):
        urls.append(f"{api}/teams/{pk}/")
    for pk in centre.dispatches.values_list("pk", flat=True):
        urls += [f"{c}/dispatch/{pk}/report/", f"{api}/dispatches/{pk}/"]
    for pk in Volunteer.objects.filter(attendances__centre=centre).distinct().values_list("pk", flat=True):
        urls.append(f"{c}/volunteers/{pk}/")
    for day in centre.daily_reports.values_list("date", flat=True):
        urls.append(f"{c}/reports/{day.isoformat()}/")
    return urls


def _walk(season, role, language="ja"):
    client = _login(role, season.users, language)
    starts = ["/", f"/c/{season.centre.slug}/", f"/p/{season.centre.slug}/"]
    return crawl(client, starts, extra=[u for u in _object_pages(season) if role is not None or u.startswith("/p/")
                                        or u.startswith("/api/v1/public/")])


def _residents(centre) -> dict[str, list[str]]:
    """What of each household only some roles may read: who, how to reach them, where, and what they said."""
    found = {"identity": set(), "free text": set()}
    for need in Need.objects.filter(centre=centre):
        found["identity"] |= {need.requester_name, need.requester_name.replace(" ", ""), need.address}
        if need.phone:
            found["identity"] |= {need.phone, need.phone.replace("-", "")}
        found["free text"] |= {t for t in (need.description, need.hazards, need.notes) if len(t) >= 8}
    found["free text"] |= {c.found.splitlines()[0] for c in Contact.objects.filter(case__centre=centre) if len(c.found) >= 8}
    return {k: sorted(v) for k, v in found.items()}


def _volunteers(centre) -> list[str]:
    values = set()
    for v in Volunteer.objects.filter(attendances__centre=centre).distinct():
        values |= {v.name, v.phone, v.emergency_phone} | ({v.email} if v.email else set())
    return sorted(x for x in values if x)


def _exact_positions(centre) -> list[float]:
    positions = []
    for lat, lng in Need.objects.filter(centre=centre, lat__isnull=False).values_list("lat", "lng"):
        positions += [lat, lng]
    return positions


def _public_positions(centre) -> set[str]:
    return {f"{x}" for b in Base.objects.filter(centre=centre) for x in (b.lat, b.lng)} | {f"{centre.lat}",
                                                                                            f"{centre.lng}"}


class _Walks(dict):
    """Each role's walk, made the first time a test asks for it (one walk serves every check of that role)."""

    def __init__(self, season, blocker):
        super().__init__()
        self.season, self.blocker = season, blocker

    def __missing__(self, who):
        started = time.monotonic()
        with self.blocker.unblock():
            walk = _walk(self.season, Role.ADMIN, "en") if who == "en" else _walk(self.season, who)
        print(f"walk {who}: {len(walk.visits)} pages in {time.monotonic() - started:.1f} s")
        self[who] = walk
        return walk


@pytest.fixture(scope="module")
def walks(season, django_db_blocker):
    return _Walks(season, django_db_blocker)


@pytest.mark.parametrize("who", [*ROLES, None, "en"], ids=lambda r: str(r or "anonymous"))
def test_no_page_answers_a_server_error(walks, who):
    crawl_ = walks[who]
    assert len(crawl_.visits) > (8 if who is None else 60), "the walk reached too little to mean anything"
    broken = [(v.url, v.status, v.came_from) for v in crawl_.visits if v.status >= 500]
    assert broken == []


@pytest.mark.parametrize("who", [*ROLES, None, "en"], ids=lambda r: str(r or "anonymous"))
def test_pages_show_words_not_codes(walks, who):
    codes, bare = _all_codes(), _bare_codes()
    raw = {}
    for visit in walks[who].visits:
        if not visit.text or TOKEN_PAGE.match(visit.url):
            continue
        for token in set(CODE.findall(visit.text)) - PROSE:
            if token in codes or ("." in token and not re.search(r"\.(pdf|xlsx|csv|png|jp|com|json)$", token)):
                raw.setdefault(token, visit.url)
        for line in visit.text.splitlines():
            for part in re.split(r"[、,]\s*", line):
                if part in bare:
                    raw.setdefault(part, visit.url)
    assert raw == {}


@pytest.mark.parametrize("role", [r for r in [*ROLES, None] if r not in SEES_RESIDENTS],
                         ids=lambda r: str(r or "anonymous"))
def test_residents_personal_data_only_for_roles_that_need_it(season, walks, role):
    secrets = _residents(season.centre)
    leaks = {}
    for visit in walks[role].visits:
        if TOKEN_PAGE.match(visit.url):
            continue
        for kind, values in secrets.items():
            for value in values:
                if value and value in visit.body:
                    leaks.setdefault(kind, set()).add(visit.url.split("?")[0])
    assert {k: sorted(v)[:5] for k, v in leaks.items()} == {}


@pytest.mark.parametrize("role", [r for r in [*ROLES, None] if r not in SEES_RESIDENTS],
                         ids=lambda r: str(r or "anonymous"))
def test_household_positions_no_finer_than_100m_for_roles_without_personal_data(season, walks, role):
    positions = _exact_positions(season.centre)
    public = _public_positions(season.centre)
    exact = set()
    for visit in walks[role].visits:
        if TOKEN_PAGE.match(visit.url):
            continue
        for number in NUMBER.findall(visit.body):
            if number in public:
                continue
            value = float(number)
            if any(abs(value - p) < 0.0006 for p in positions):
                exact.add(visit.url.split("?")[0])
    assert sorted(exact)[:10] == []


@pytest.mark.parametrize("role", [r for r in [*ROLES, None] if r not in SEES_VOLUNTEERS],
                         ids=lambda r: str(r or "anonymous"))
def test_volunteers_personal_data_only_for_roles_that_need_it(season, walks, role):
    secrets = _volunteers(season.centre)
    leaks = {}
    for visit in walks[role].visits:
        if TOKEN_PAGE.match(visit.url):
            continue
        for value in secrets:
            if value in visit.body:
                leaks.setdefault(visit.url.split("?")[0], value)
    assert dict(list(leaks.items())[:5]) == {}


# --- the 協力団体 login: its own jobs' sites, nothing else -----------------------------------------------------

@pytest.mark.parametrize("check", ["no 5xx", "words"])
def test_a_partner_login_walks_without_errors_or_codes(walks, check):
    walk = walks[Role.PARTNER]
    assert len(walk.visits) > 60, "the walk reached too little to mean anything"
    if check == "no 5xx":
        assert [(v.url, v.status) for v in walk.visits if v.status >= 500] == []
    else:
        codes = _all_codes() | _bare_codes()
        raw = {t: v.url for v in walk.visits if v.text for t in set(CODE.findall(v.text)) - PROSE if t in codes}
        assert raw == {}


def test_a_partner_login_reads_only_what_its_own_jobs_need(season, walks):
    """The organisation finds its jobs' sites (address, hazards) and, while it arranges a visit, the resident's
    name and phone (ops.partners.selectors.job_sheet); nothing of any other household, never what residents
    told the centre (description, notes) and never a volunteer."""
    from ops.partners.models import PartnerJob

    partner = season.users[Role.PARTNER]
    own = PartnerJob.objects.filter(organisation__users=partner)
    sites = set(own.values_list("need_id", flat=True))
    arranging = set(own.filter(status__in=[PartnerJob.Status.ACCEPTED, PartnerJob.Status.SCHEDULED])
                    .values_list("need_id", flat=True))
    assert sites and arranging, "the season gave the partner no job to read"
    forbidden, allowed = {}, set()
    for need in Need.objects.filter(pk__in=sites):  # a repeat call's need shares its household's words
        allowed |= {need.address, need.hazards}
        if need.pk in arranging:
            allowed |= {need.requester_name, need.requester_name.replace(" ", ""), need.phone,
                        need.phone.replace("-", "")}
    for need in Need.objects.filter(centre=season.centre):
        values = {t for t in (need.description, need.notes) if len(t) >= 8}
        if need.pk not in sites:
            values |= {need.address} | ({need.hazards} if len(need.hazards) >= 8 else set())
        if need.pk not in arranging:
            values |= {need.requester_name, need.requester_name.replace(" ", "")}
            values |= {need.phone, need.phone.replace("-", "")} if need.phone else set()
        for value in values - allowed:
            forbidden.setdefault(value, need.label)
    for value in _volunteers(season.centre):
        forbidden.setdefault(value, "volunteer")
    leaks = {}
    for visit in walks[Role.PARTNER].visits:
        for value, whose in forbidden.items():
            if value and value in visit.body:
                leaks.setdefault(visit.url.split("?")[0], (whose, value))
    assert dict(list(leaks.items())[:5]) == {}
    reached = {v.url for v in walks[Role.PARTNER].visits if v.status == 200}
    assert any(f"/partner/jobs/{job.pk}/" in url for job in own for url in reached)
