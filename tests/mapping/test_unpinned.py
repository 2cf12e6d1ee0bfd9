"""Needs without a position on the map board: the list (names only where the registry gives them), placing one
through the need service (audited, told to the boards, refusing what is not a place in Japan), and the board's
search by number, district or name."""
import json

import pytest
from django.urls import reverse

from mapping import selectors
from ops.centres.models import AuditEntry, Event, Role
from ops.needs.models import NeedStatus
from ops.needs.services import NeedError, place_need
from ops.privacy import Sight
from ops.privacy.sight import AUDIENCES, LIMITED
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(db):
    return factories.make_centre()


def unpinned_need(centre, **kw):
    return factories.make_need(centre, lat=None, lng=None, **kw)


def url(name, centre, **kw):
    return reverse(f"mapping:{name}", kwargs={"centre": centre.slug, **kw})


def test_the_list_counts_open_needs_without_a_position_most_urgent_first(coordinator_client, centre):
    factories.make_need(centre, status=NeedStatus.READY)  # has a pin
    later = unpinned_need(centre, status=NeedStatus.NEW, district="川端", requester_name="位置 無子")
    urgent = unpinned_need(centre, status=NeedStatus.READY, priority=1)
    unpinned_need(centre, status=NeedStatus.COMPLETED)  # done: not the board's business
    body = coordinator_client.get(url("unpinned", centre)).json()
    assert body["count"] == 2
    assert [n["id"] for n in body["needs"]] == [urgent.pk, later.pk]
    row = body["needs"][1]
    assert (row["label"], row["district"], row["status"], row["pinned"]) == (later.label, "川端", "new", False)
    assert row["name"] == "位置 無子" and row["work_types"]


def test_names_only_for_roles_the_registry_gives_them(centre):
    unpinned_need(centre, requester_name="位置 無子", requester_kana="イチ ナシコ")
    limited = selectors.unpinned(centre, sight=AUDIENCES[LIMITED])
    assert limited["count"] == 1 and "name" not in limited["needs"][0] and "kana" not in limited["needs"][0]
    assert "位置 無子" not in json.dumps(limited, ensure_ascii=False)
    full = selectors.unpinned(centre, sight=Sight({"needs_personal"}))
    assert full["needs"][0]["name"] == "位置 無子"


def test_place_need_sets_the_position_audits_and_tells_the_boards(centre):
    user = factories.make_user(Role.COORDINATOR, centre)
    need = unpinned_need(centre, status=NeedStatus.READY)
    version = need.version
    place_need(need, lat="36.6512345", lng=138.1812345, by=user)
    need.refresh_from_db()
    assert (need.lat, need.lng, need.version) == (36.6512345, 138.1812345, version + 1)
    entry = AuditEntry.objects.get(action="need.placed")
    assert (entry.object_id, entry.user, sorted(entry.fields)) == (str(need.pk), user, ["lat", "lng"])
    event = Event.objects.filter(centre=centre).latest("seq")
    assert event.kind == "need.changed" and event.payload["need"]["lat"] == 36.6512345
    assert event.payload["fields"] == ["lat", "lng"]


@pytest.mark.parametrize(("lat", "lng", "words"), [
    (None, 138.1, "両方"), ("36.6", "", "両方"), ("abc", "138.1", "数値"), ("51.5", "-0.12", "日本国内"),
    ("nan", "138.1", "日本国内"), ("36.6", "200", "日本国内"),
])
def test_place_need_refuses_what_is_not_a_place_in_japan(centre, lat, lng, words):
    need = unpinned_need(centre)
    with pytest.raises(NeedError, match=words):
        place_need(need, lat=lat, lng=lng)
    need.refresh_from_db()
    assert need.lat is None and not Event.objects.filter(centre=centre, kind="need.changed").exists()


def test_the_place_endpoint_answers_the_card_or_a_400_in_words(coordinator_client, centre):
    need = unpinned_need(centre, status=NeedStatus.READY)
    place = url("place", centre, need=need.pk)
    refused = coordinator_client.post(place, {"lat": 10, "lng": 138}, content_type="application/json")
    assert refused.status_code == 400 and "日本国内" in refused.json()["error"]
    junk = coordinator_client.post(place, "not json", content_type="application/json")
    assert junk.status_code == 400 and junk.json()["error"]
    listed = coordinator_client.post(place, [1, 2], content_type="application/json")
    assert listed.status_code == 400
    ok = coordinator_client.post(place, {"lat": 36.66, "lng": 138.19}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["label"] == need.label and ok.json()["lat"] == 36.66
    assert coordinator_client.get(url("unpinned", centre)).json()["count"] == 0
    other = factories.make_centre()
    stranger = unpinned_need(other)
    assert coordinator_client.post(url("place", centre, need=stranger.pk), {"lat": 36.6, "lng": 138.1},
                                   content_type="application/json").status_code == 404


def test_placing_is_for_the_board_roles(client_as, centre):
    need = unpinned_need(centre)
    for role in (Role.INTAKE, Role.LEADER, Role.VIEWER, Role.RECEPTION, Role.WELFARE):
        response = client_as(role).post(url("place", centre, need=need.pk), {"lat": 36.6, "lng": 138.1},
                                        content_type="application/json")
        assert response.status_code == 403, role
    need.refresh_from_db()
    assert need.lat is None


def test_find_by_number_in_any_width_district_and_name(coordinator_client, centre):
    a = factories.make_need(centre, district="北町", requester_name="検索 太郎")
    b = unpinned_need(centre, district="南町", requester_name="探索 花子", requester_kana="タンサク ハナコ")
    find = url("find", centre)

    def found(words):
        response = coordinator_client.post(find, {"q": words}, content_type="application/json")
        assert response.status_code == 200
        return [n["id"] for n in response.json()["needs"]]

    assert found(a.label) == [a.pk]
    assert found(f"Ｎ－{b.number:04d}") == [b.pk]  # full width, as an IME types it
    assert found(str(b.number)) == [b.pk]
    assert found("南町") == [b.pk]
    assert found("花子") == [b.pk]
    assert found("タンサク") == [b.pk]
    assert found("だれでもない") == []
    body = coordinator_client.post(find, {"q": "探索"}, content_type="application/json").json()["needs"][0]
    assert body["pinned"] is False and body["name"] == "探索 花子"
    assert coordinator_client.post(find, {}, content_type="application/json").status_code == 400
    assert coordinator_client.post(find, "x", content_type="application/json").status_code == 400


def test_a_role_without_names_cannot_find_by_name_nor_read_one(centre):
    need = factories.make_need(centre, district="北町", requester_name="検索 太郎")
    limited = AUDIENCES[LIMITED]
    assert selectors.found(centre, sight=limited, words="検索") == []
    rows = selectors.found(centre, sight=limited, words="北町")
    assert [r["id"] for r in rows] == [need.pk] and "name" not in rows[0]
    assert rows[0]["lat"] == round(need.lat, 3)  # a rough position, as the registry gives it


def test_the_board_page_has_the_list_the_search_and_the_place_for_address_search(coordinator_client, centre):
    page = coordinator_client.get(url("board", centre)).content.decode()
    for marker in ('id="unpinned-list"', 'id="board-find"', 'id="place-panel"', 'id="place-search"',
                   "/static/mapping/board_list.js", 'id="board-labels"', "番号・地区・氏名で探す"):
        assert marker in page, marker
