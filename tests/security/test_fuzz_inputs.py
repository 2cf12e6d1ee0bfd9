"""Whatever arrives, never a 500: forms, private-link forms, filters and the API fed arbitrary text, unicode,
huge strings, NUL bytes, lists where one value belongs, numbers out of range and broken bodies. The API
answers every refusal with its JSON error body.

Each case starts from a body the endpoint accepts and spoils part of it, so the fuzzing reaches the
services and the database, not only the first field check. Runs deterministically in CI; DVC_FUZZ=explore
runs many more random cases (e.g. before a release).
"""
import json
import os
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops.centres.models import Role
from tests.conftest import clear_rates
from tests.needs.conftest import old_stamp
from tests.security.conftest import ANONYMOUS, PRINCIPALS, VOLUNTEER, client_for
from tests.security.test_access_matrix import ROUTES, url_of
from tests.volunteers.conftest import CHECKIN_FORM

settings.register_profile("ci", max_examples=int(os.environ.get("DVC_FUZZ_EXAMPLES", 12)), deadline=None,
                          derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("explore", parent=settings.get_profile("ci"), max_examples=300, derandomize=False)
FUZZ = settings.get_profile(os.environ.get("DVC_FUZZ", "ci"))

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)  # surrogates cannot be sent as UTF-8
NASTY = st.sampled_from([
    "", " ", "\x00", "a\x00b", "0", "-1", "1.5", "1e309", "NaN", "-inf", "9" * 30, "true", "null", "[]", "{}",
    "<script>alert(1)</script>", "' OR 1=1 --", "\u202e\u200b\ufeff", "𠮷" * 40, "あ" * 5000, "x" * 100_000,
    "2026-02-30", "9999-12-31", "0001-01-01", "2100-01-01", "25:61", "../../etc/passwd", "%00", "\r\n\r\n", "０９０－１２３４－５６７８", "🙂" * 300,
])
VALUE = st.one_of(TEXT, NASTY)
FORM_VALUE = st.one_of(VALUE, st.lists(VALUE, max_size=3))
JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
              st.floats(allow_nan=True, allow_infinity=True), VALUE),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=8)


@st.composite
def spoiled(draw, base: dict, value=FORM_VALUE):
    """`base` with some fields replaced by junk, some dropped, perhaps one added."""
    fields = sorted(base) or ["x"]
    body = dict(base)
    body.update(draw(st.dictionaries(st.sampled_from(fields), value, max_size=len(fields))))
    for name in draw(st.sets(st.sampled_from(fields), max_size=2)):
        body.pop(name, None)
    if draw(st.booleans()):
        body[draw(TEXT)] = draw(value)
    return body


@pytest.fixture
def world(shared_world, db):
    return shared_world


def answer(world, who, call):
    """Make one request as `who` inside a savepoint (each case starts from the same world) and return it; a
    view that raises fails here with its traceback."""
    clear_rates()  # rate limits count per client: every case is a first visit
    with transaction.atomic():
        response = call(client_for(world, who))
        transaction.set_rollback(True)
    assert response.status_code < 500, (response.status_code, response.content[:300])
    return response


def first_allowed(who_may) -> str:
    return next(who for who in PRINCIPALS if who in who_may)


# The sampled 100 kB string makes a long repr of the strategy, which is all the warning is about.
pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

# --- forms ---------------------------------------------------------------------------------------------------
# Every form in the access matrix (public, private-link and staff), from the body an allowed caller succeeds
# with; and the forms anyone may send, from a body that gets through too.
PUBLIC_FORMS = {
    "needs:public_request": lambda w: {
        "requester_name": "長野 一郎", "requester_kana": "ナガノ イチロウ", "phone": "090-1111-2222",
        "address": "テスト市川端町3-4-5", "work_types": ["mud"], "description": "床上浸水", "household": ["care"],
        "consent": "on", "website": "", "stamp": old_stamp()},
    "volunteers:register": lambda w: {
        "name": "山田 太郎", "kana": "ヤマダ タロウ", "phone": "090-1234-5678", "email": "", "age_band": "30s",
        "prefecture": "長野県", "city": "長野市", "emergency_name": "山田 花子", "emergency_phone": "090-8765-4321",
        "insurance": "enrolled", "skills": ["driver"], "privacy": "on"},
    "volunteers:signin": lambda w: {"kana": "テスト", "phone": w.me.phone},
    "volunteers:book": lambda w: {"date": (w.today + timedelta(days=2)).isoformat(), "base": ""},
    "volunteers:group_register": lambda w: {
        "name": "大学ボランティア部", "leader_name": "鈴木 健", "leader_kana": "スズキ ケン", "phone": "090-3333-4444",
        "email": "", "member_count": 12, "age_band": "20s", "prefecture": "長野県", "city": "松本市", "date": "",
        "insured": "on", "privacy": "on"},
    "volunteers:checkin": lambda w: dict(CHECKIN_FORM, insurance="enrolled", head_count="", tetanus=""),
    "needs:resident_close": lambda w: {"closure": "no_longer_needed"},
    "volunteers:checkout": lambda w: {},
    "volunteers:renew": lambda w: {},
    "volunteers:forget": lambda w: {},
    "volunteers:cancel_booking": lambda w: {},
    "pref_vol:register": lambda w: {
        "name": "県窓口 花子", "kana": "ケンマドグチ ハナコ", "phone": "090-2468-1357", "email": "", "age_band": "30s",
        "prefecture": "長野県", "city": "長野市", "emergency_name": "県窓口 太郎", "emergency_phone": "090-1357-2468",
        "insurance": "enrolled", "skills": ["driver"], "privacy": "on"},
    "pref_vol:signin": lambda w: {"kana": "テスト", "phone": w.me.phone},
    "pref_vol:cancel": lambda w: {},
    "staff:accept": lambda w: ROUTES["staff:accept"].data(w),
    "dispatch:slip": lambda w: {"outcome": "completed", "people": 2, "hours": "3", "work_done": "泥出し",
                                "injuries": 0, "heat_illness": 0, "near_miss": "", "tools_returned": "on",
                                "concerns": "alone", "concern_note": "玄関で座り込んでいた"},
}
FORMS = sorted([*PUBLIC_FORMS, *(n for n, r in ROUTES.items() if r.post is not None and r.data and not r.api)])


@pytest.mark.parametrize("name", FORMS)
@FUZZ
@given(data=st.data())
def test_no_form_fails_on_junk(world, name, data):
    route = ROUTES[name]
    base = PUBLIC_FORMS[name](world) if name in PUBLIC_FORMS else route.data(world)
    body = data.draw(spoiled({k: v for k, v in base.items() if k not in ("image", "file")}), label="body")
    who = VOLUNTEER if name in PUBLIC_FORMS else first_allowed(route.post)
    answer(world, who, lambda c: getattr(c, route.method)(url_of(name, world), body))


@pytest.mark.parametrize("name", FORMS)
def test_a_nul_byte_in_any_form_field_is_refused_not_a_crash(world, name):
    route = ROUTES[name]
    base = PUBLIC_FORMS[name](world) if name in PUBLIC_FORMS else route.data(world)
    who = VOLUNTEER if name in PUBLIC_FORMS else first_allowed(route.post)
    for field in [f for f in base if f not in ("image", "file")] or ["note"]:
        answer(world, who, lambda c, field=field: getattr(c, route.method)(
            url_of(name, world), {**base, field: "a\x00b"}))


@pytest.mark.parametrize("name", FORMS)
def test_a_form_body_too_big_is_a_413_not_a_crash(world, name, settings):
    """Past DATA_UPLOAD_MAX_MEMORY_SIZE, found when the form is read (the live server refuses bodies past
    REQUEST_BODY_MAX_BYTES before reading them: tests/security/test_request_limits.py)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    route = ROUTES[name]
    base = PUBLIC_FORMS[name](world) if name in PUBLIC_FORMS else route.data(world)
    body = {**{k: v for k, v in base.items() if k not in ("image", "file")}, "padding": "あ" * 20_000}
    who = VOLUNTEER if name in PUBLIC_FORMS else first_allowed(route.post)
    response = answer(world, who, lambda c: getattr(c, route.method)(url_of(name, world), body))
    assert response.status_code == 413, response.status_code


@pytest.mark.parametrize("name", ["needs:public_request", "volunteers:register", "needs:new", "dispatch:slip",
                                  "pref_vol:register", "pref_vol:apply"])
@FUZZ
@given(raw=st.binary(max_size=300), kind=st.sampled_from([
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=xx", "multipart/form-data",
    "application/json", "text/plain"]))
def test_no_form_fails_on_a_broken_body(world, name, raw, kind):
    who = VOLUNTEER if name in PUBLIC_FORMS else first_allowed(ROUTES[name].post)
    answer(world, who, lambda c: c.generic("POST", url_of(name, world), raw, content_type=kind))


@FUZZ
@given(code=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/"), min_size=1, max_size=80),
       base=FORM_VALUE)
def test_the_check_in_page_takes_any_code_and_base(world, code, base):
    url = reverse("volunteers:checkin", kwargs={"centre": world.centre.slug, "code": code})
    answer(world, VOLUNTEER, lambda c: c.get(url, {"base": base}))
    answer(world, VOLUNTEER, lambda c: c.post(url_of("volunteers:checkin", world) + "?base=" + str(base)[:50],
                                               dict(CHECKIN_FORM)))


# --- filters and query strings -------------------------------------------------------------------------------
FILTERS = {
    "needs:list": ("status", "district", "work_type", "priority", "welfare", "s", "page"),
    "welfare:cases": ("status", "mine", "category", "page"),
    "centre_audit": ("type", "action", "page"),
    "exports:index": ("from", "to"),
    "exports:download": ("from", "to", "format"),
    "mapping:needs_geojson": ("bbox", "status", "district", "work_type"),
    "boards:staff_events": ("since",),
    "boards:public_events": ("since",),
    "volunteers:reception": ("s",),
    "volunteers:roster": ("date",),
    "volunteers:poster": ("date", "base"),
    "volunteers:bookings": ("date",),
    "dispatch:teams": ("size",),
    "dispatch:tool_history": ("page",),
    "dispatch:tool_labels": ("kind", "n", "copies"),
    "reports:archive": ("page",),
    "api:needs": ("status", "district", "work_type", "priority", "bbox", "updated_since", "q", "limit", "offset"),
    "api:figures": ("date",),
    "api:teams": ("date", "limit", "offset"),
    "api:dispatches": ("date", "limit", "offset"),
    "drills:review": ("lang",),  # the drill's after-action review in the language asked for
}


@pytest.mark.parametrize("name", sorted(FILTERS))
@FUZZ
@given(data=st.data())
def test_no_filter_fails_on_junk(world, name, data):
    query = data.draw(st.dictionaries(st.sampled_from(FILTERS[name]), FORM_VALUE, max_size=4), label="query")
    answer(world, first_allowed(ROUTES[name].get), lambda c: c.get(url_of(name, world), query))


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_a_nul_byte_in_any_filter_is_refused_not_a_crash(world, name):
    """PostgreSQL cannot hold NUL in text: a filter that reaches a query with one must stop it first."""
    for param in FILTERS[name]:
        answer(world, first_allowed(ROUTES[name].get), lambda c, param=param: c.get(url_of(name, world),
                                                                                   {param: "a\x00b"}))


# --- the API -------------------------------------------------------------------------------------------------
API_WRITES = sorted(n for n, r in ROUTES.items() if r.api and r.post is not None)
API_BASES = {"api:check_in_by_link": lambda w: {"centre": w.centre.slug, "code": w.code, "insurance_confirmed": True,
                                                "health": {"no_fever": True, "feeling_well": True, "rested": True}},
             "api:application_cancel": lambda w: {}}  # it uses no field of its body


def api_caller(name):
    return ANONYMOUS if name == "api:check_in_by_link" else first_allowed(ROUTES[name].post)


def assert_error_body(response):
    if response.status_code < 400:
        return
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["status"] == response.status_code and body["code"] and body["detail"], body


@pytest.mark.parametrize("name", API_WRITES)
@FUZZ
@given(data=st.data())
def test_api_writes_answer_junk_with_a_json_error(world, name, data):
    route = ROUTES[name]
    base = (API_BASES.get(name) or route.data)(world)
    body = data.draw(st.one_of(spoiled(base, JSON_VALUE), JSON_VALUE), label="body")
    raw = json.dumps(body)  # NaN and Infinity too: not JSON, the parser must say so
    response = answer(world, api_caller(name), lambda c: getattr(c, route.method)(
        url_of(name, world), raw, content_type="application/json"))
    assert_error_body(response)


@pytest.mark.parametrize("name", API_WRITES)
@FUZZ
@given(raw=st.binary(max_size=200), kind=st.sampled_from([
    "application/json", "application/json; charset=latin-1", "text/plain", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xx", ""]))
def test_api_writes_answer_a_broken_body_with_a_json_error(world, name, raw, kind):
    route = ROUTES[name]
    response = answer(world, api_caller(name), lambda c: c.generic(
        route.method.upper(), url_of(name, world), raw, content_type=kind))
    assert_error_body(response)  # an empty body may be a valid (empty) PATCH


@FUZZ
@given(token=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=100))
def test_the_volunteer_token_header_takes_anything(world, token):
    body = json.dumps(API_BASES["api:check_in_by_link"](world))
    response = answer(world, ANONYMOUS, lambda c: c.post(
        url_of("api:check_in", world), body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Volunteer {token}".encode().decode("latin-1")))
    assert response.status_code in (401, 403)
    assert_error_body(response)


@FUZZ
@given(token=st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=100))
def test_the_api_token_header_takes_anything(world, token):
    """A key that is not one (any text, any length) is a 401 with the JSON error body, never a 500."""
    response = answer(world, ANONYMOUS, lambda c: c.get(
        url_of("api:figures", world), HTTP_AUTHORIZATION=f"Token {token}".encode().decode("latin-1")))
    assert response.status_code == 401
    assert_error_body(response)


def test_the_api_fuzz_calls_as_roles_the_matrix_allows(world):
    """Junk must get past the permission check to reach the parsers and services."""
    for name in API_WRITES:
        assert api_caller(name) in ((ROUTES[name].post or set()) | {ANONYMOUS}), name
    assert api_caller("api:needs") == Role.ADMIN


@pytest.mark.parametrize("name", API_WRITES)
def test_api_writes_answer_a_body_too_big_with_a_413_json_error(world, name, settings):
    """Past DATA_UPLOAD_MAX_MEMORY_SIZE (the live server refuses bigger ones before reading them, see
    tests/security/test_request_limits.py): the API's JSON 413, never a 500."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    route = ROUTES[name]
    body = json.dumps({**(API_BASES.get(name) or route.data)(world), "padding": "あ" * 20_000})
    response = answer(world, api_caller(name), lambda c: getattr(c, route.method)(
        url_of(name, world), body, content_type="application/json"))
    assert response.status_code == 413
    assert_error_body(response)
