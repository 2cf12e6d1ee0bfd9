"""Residents' personal data has one registry (ops.privacy) and every surface asks it.

A role without the personal-data capability (the city's viewer, a leader) gets a need's operational facts and a
position no finer than about 100 m, on every surface: the need page, its printable card, the list and its
search and filters, the API and its search, the staff board's page, snapshot, events and socket. Free text,
the household, the welfare flag and photos stay with the roles that need them, who keep exact positions.
"""
import ast
import asyncio
import json
import re
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from dvc.asgi import application
from ops.centres.models import Role
from ops.needs import services
from ops.needs.models import NeedStatus
from ops.permissions import MATRIX, Cap
from tests import factories
from tests.boards.conftest import WebsocketCommunicator, run_async, session_cookie
from tests.searching import api_search, search

ROOT = Path(__file__).resolve().parents[2]
WITHOUT = [Role.VIEWER, Role.LEADER]  # roles without Cap.NEEDS_PERSONAL that read needs
WITH = [Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.WELFARE]

EXACT = (36.651234, 138.181234)
EXACT_TEXT = ("36.6512", "138.1812")  # any rendering finer than 3 decimals starts like this
COARSE = (36.651, 138.181)
# What only roles with personal data may read: free text, the household and the welfare flag.
DETAILS = {"description": "金庫の番号は7531", "hazards": "犬が怖いQX", "notes": "長男 090-4242-1717"}
DETAIL_SECRETS = ("7531", "犬が怖いQX", "4242-1717", "高齢者のみの世帯", "危機介入")


@pytest.fixture
def flagged(centre):
    """A need with everything a viewer must not get: exact pin, free text, household, a 危機介入 flag."""
    return factories.make_need(centre, lat=EXACT[0], lng=EXACT[1], status=NeedStatus.READY, district="北町",
                               household=["elderly_alone"], welfare="crisis", **DETAILS)


def url(name, centre, **kw):
    return reverse(name, kwargs={"centre": centre.slug, **kw})


def api(centre, rest=""):
    return f"/api/v1/centres/{centre.slug}/needs/{rest}"


def text_of(response) -> str:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    if "json" in response.get("Content-Type", ""):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def surfaces(client, centre, need) -> dict[str, str]:
    """Every page and JSON a staff role reads a need on, as text."""
    return {
        "need page": text_of(client.get(url("needs:detail", centre, pk=need.pk))),
        "printable card": text_of(client.get(url("needs:card", centre, pk=need.pk))),
        "needs list": text_of(client.get(url("needs:list", centre))),
        "API list": text_of(client.get(api(centre))),
        "API need": text_of(client.get(api(centre, f"{need.pk}/"))),
        "staff board": text_of(client.get(url("boards:staff", centre))),
        "board snapshot": text_of(client.get(url("boards:staff_snapshot", centre))),
        "board events": text_of(client.get(url("boards:staff_events", centre), {"since": 0})),
    }


def with_an_event(centre, need):
    """A change through the service, so the outbox holds the need's state as the socket carries it."""
    services.update_need(need, by=factories.make_user(Role.COORDINATOR, centre), people_needed=4)


# --- positions ------------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role", WITHOUT)
def test_viewer_gets_positions_no_finer_than_100m_everywhere(client_as, centre, flagged, role):
    with_an_event(centre, flagged)
    client = client_as(role)
    for where, text in surfaces(client, centre, flagged).items():
        for exact in EXACT_TEXT:
            assert exact not in text, f"{role} reads an exact position on the {where}"
    # ...and still gets where the need is, to about 100 m
    detail = client.get(api(centre, f"{flagged.pk}/")).json()
    assert (detail["lat"], detail["lng"]) == COARSE
    snapshot = client.get(url("boards:staff_snapshot", centre)).json()
    assert [(n["lat"], n["lng"]) for n in snapshot["needs"]] == [COARSE]


@pytest.mark.django_db
@pytest.mark.parametrize("role", WITH)
def test_roles_with_personal_data_keep_exact_positions(client_as, centre, flagged, role):
    with_an_event(centre, flagged)
    client = client_as(role)
    bodies = surfaces(client, centre, flagged)
    for where in ("need page", "printable card", "API need", "board snapshot", "board events"):
        assert EXACT_TEXT[0] in bodies[where] and EXACT_TEXT[1] in bodies[where], f"{role}: {where}"
    assert client.get(api(centre, f"{flagged.pk}/")).json()["lat"] == EXACT[0]


# --- free text, household, welfare ---------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role", WITHOUT)
def test_roles_without_personal_data_read_no_free_text_household_or_welfare(client_as, centre, flagged, role):
    with_an_event(centre, flagged)
    for where, text in surfaces(client_as(role), centre, flagged).items():
        assert flagged.label in text or where.startswith("board"), where
        for secret in DETAIL_SECRETS:
            assert secret not in text, f"{role} reads {secret!r} on the {where}"
        assert '"welfare"' not in text, f"{role} gets the welfare flag on the {where}"


@pytest.mark.django_db
def test_roles_with_personal_data_read_the_free_text_household_and_welfare(client_as, centre, flagged):
    page = text_of(client_as(Role.INTAKE).get(url("needs:detail", centre, pk=flagged.pk)))
    for secret in DETAIL_SECRETS:
        assert secret in page


# --- search and filters ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_api_search_does_not_match_fields_the_role_cannot_see(client_as, centre, flagged):
    factories.make_need(centre, district="南町", requester_name="別人 太郎")
    hidden = ["4242", "7531", "怖いQX", "山田"]  # notes, description, hazards, name
    for role in WITHOUT:
        client = client_as(role)
        for q in hidden:
            assert api_search(client, centre, q).json()["count"] == 0, (role, q)
        assert api_search(client, centre, "北町").json()["count"] == 1  # the district is the viewer's
    coordinator = client_as(Role.COORDINATOR)
    for q in hidden:
        assert api_search(coordinator, centre, q).json()["count"] == 1, q


@pytest.mark.django_db
def test_list_search_does_not_match_fields_the_role_cannot_see(client_as, centre, flagged):
    for role in WITHOUT:
        client = client_as(role)
        for q in ("4242", "7531", "怖いQX"):
            assert search(client, url("needs:list", centre), q).context["page"].paginator.count == 0, (role, q)
    assert search(client_as(Role.INTAKE), url("needs:list", centre), "7531").context["page"].paginator.count == 1


@pytest.mark.django_db
def test_welfare_filter_is_only_for_roles_that_see_welfare(client_as, centre, flagged):
    factories.make_need(centre)
    for role in WITHOUT:
        response = client_as(role).get(url("needs:list", centre), {"welfare": "crisis"})
        assert response.context["page"].paginator.count == 2, role  # the filter is not theirs: ignored
        assert 'name="welfare"' not in response.content.decode()
    for role in WITH:
        response = client_as(role).get(url("needs:list", centre), {"welfare": "crisis"})
        assert [n.pk for n in response.context["page"]] == [flagged.pk], role
        assert 'name="welfare"' in response.content.decode()


# --- photos ----------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_photos_are_only_for_roles_that_see_personal_data(client_as, centre, settings, tmp_path):
    from tests.security.conftest import jpeg

    settings.MEDIA_ROOT = str(tmp_path)
    need = factories.make_need(centre)
    photo = services.add_photo(need, by=None, upload=jpeg(), consent=True, caption="玄関の写真QX")
    photo_url = url("needs:photo", centre, pk=need.pk, photo_id=photo.pk)
    for role in WITHOUT:
        client = client_as(role)
        assert client.get(photo_url).status_code == 403, role
        page = client.get(url("needs:detail", centre, pk=need.pk)).content.decode()
        assert photo_url not in page and "玄関の写真QX" not in page
    assert client_as(Role.WELFARE).get(photo_url).status_code == 200


# --- the map board, for a dispatch role a centre might set up without personal data ----------------------------

@pytest.mark.django_db
def test_map_feed_and_need_card_follow_the_registry(client_as, centre, flagged, monkeypatch):
    card_url = reverse("mapping:need_card", kwargs={"centre": centre.slug, "need": flagged.pk})
    feed_url = url("mapping:needs_geojson", centre)
    coordinator = client_as(Role.COORDINATOR)
    card, feed = coordinator.get(card_url).json(), coordinator.get(feed_url).json()
    assert (card["lat"], card["lng"]) == EXACT and card["hazards"] == DETAILS["hazards"] and card["welfare"]
    assert feed["features"][0]["geometry"]["coordinates"] == [138.18123, 36.65123]
    assert feed["features"][0]["properties"]["wf"] == 1

    monkeypatch.setitem(MATRIX, Role.COORDINATOR, MATRIX[Role.COORDINATOR] - {Cap.NEEDS_PERSONAL})
    card, feed = coordinator.get(card_url), coordinator.get(feed_url)
    for text in (card.content.decode(), feed.content.decode()):
        for secret in (*EXACT_TEXT, *DETAIL_SECRETS, "7531"):
            assert secret not in text
    assert (card.json()["lat"], card.json()["lng"]) == COARSE
    assert "welfare" not in card.json() and "wf" not in feed.json()["features"][0]["properties"]
    assert feed.json()["features"][0]["geometry"]["coordinates"] == [COARSE[1], COARSE[0]]


# --- the staff socket -------------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("real_redis")
def test_staff_socket_gives_roles_without_personal_data_coarse_needs_without_welfare(centre):
    need = factories.make_need(centre, lat=EXACT[0], lng=EXACT[1], household=["elderly_alone"], welfare="crisis",
                               **DETAILS)
    by = factories.make_user(Role.COORDINATOR, centre)
    roles = [Role.VIEWER, Role.LEADER, Role.COORDINATOR, Role.WELFARE]
    cookies = [session_cookie(factories.make_user(role, centre)) for role in roles]

    async def scenario():
        sockets = []
        for cookie in cookies:
            socket = WebsocketCommunicator(application, f"/ws/c/{centre.slug}/board/", headers=[
                (b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1"), (b"cookie", cookie.encode())])
            assert (await socket.connect(timeout=5))[0]
            sockets.append(socket)
        await asyncio.sleep(0.2)  # the hubs have joined their groups
        await database_sync_to_async(services.update_need)(need, by=by, people_needed=4)
        frames = [await socket.receive_output(5) for socket in sockets]
        await asyncio.gather(*(socket.disconnect() for socket in sockets))
        return [frame["text"] for frame in frames]

    frames = dict(zip(roles, run_async(scenario()), strict=True))
    for role in (Role.VIEWER, Role.LEADER):
        state = json.loads(frames[role])["data"]["need"]
        assert (state["lat"], state["lng"]) == COARSE and "welfare" not in state, role
        for secret in (*EXACT_TEXT, *DETAIL_SECRETS):
            assert secret not in frames[role], role
    for role in (Role.COORDINATOR, Role.WELFARE):
        state = json.loads(frames[role])["data"]["need"]
        assert (state["lat"], state["lng"]) == EXACT and state["welfare"] is True, role


# --- one registry ----------------------------------------------------------------------------------------------

COLLECTIONS = ast.Tuple | ast.List | ast.Set | ast.Dict | ast.Call


def _python_files():
    for folder in ("ops", "api", "mapping"):
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative and not relative.startswith("ops/privacy"):
                yield path


def test_one_registry_defines_personal_fields():
    """No module but ops.privacy lists fields as personal, decides by the capability itself, or lets a
    template choose by a `personal` flag: each would be a sixth definition of what personal data is."""
    lists, by_hand = [], []
    for path in _python_files():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            # a collection named as personal: PERSONAL_FIELDS = (...), PERSONAL_ONLY = [...]
            if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, COLLECTIONS):
                for target in getattr(node, "targets", [getattr(node, "target", None)]):
                    if isinstance(target, ast.Name) and re.search(r"PERSONAL|PRIVATE|SENSITIVE", target.id):
                        lists.append(f"{path.relative_to(ROOT)}: {target.id}")
            if isinstance(node, ast.Attribute) and node.attr == "NEEDS_PERSONAL" and path.name != "permissions.py":
                by_hand.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    templates = [f"{p.relative_to(ROOT)}" for folder in ("ops", "mapping", "templates")
                 for p in (ROOT / folder).rglob("*.html")
                 if re.search(r"{%\s*(el)?if\b[^%]*\bpersonal\b", p.read_text())]
    assert lists == [], "personal fields listed outside ops.privacy"
    assert by_hand == [], "Cap.NEEDS_PERSONAL asked outside ops.privacy: ask the registry"
    assert templates == [], "templates deciding by a `personal` flag: give them what the registry shows"
