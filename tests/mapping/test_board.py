"""The map board page, its need card (personal data by capability) and the teams panel."""
import json
import re

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.dispatch.services import dispatch
from ops.needs.models import NeedStatus
from ops.permissions import MATRIX, Cap
from tests import factories
from tests.dispatch.conftest import make_team, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(db):
    from datetime import time

    return factories.make_centre(latest_return_time=time(23, 59, 59, 999999))


def board_url(centre):
    return reverse("mapping:board", kwargs={"centre": centre.slug})


def test_the_board_loads_leaflet_locally_and_has_no_inline_script(coordinator_client, centre):
    page = coordinator_client.get(board_url(centre)).content.decode()
    assert "/static/leaflet/leaflet.js" in page and "/static/js/map.js" in page
    assert "/static/mapping/board.js" in page
    assert "<script>" not in page.replace('<script id="board-bases" type="application/json">', "")
    assert " style=" not in page
    assert 'data-ws-path="/ws/c/' in page


def test_the_board_shows_bases_ready_teams_and_waiting_volunteers(coordinator_client, centre):
    team = make_team(centre, 2)
    factories.make_attendance(centre, factories.make_volunteer(name="一人 待子"), date=today(centre))
    page = coordinator_client.get(board_url(centre)).content.decode()
    bases = json.loads(re.search(r'<script id="board-bases" type="application/json">(.*?)</script>', page).group(1))
    assert [b["name"] for b in bases] == ["本部"]
    assert f'name="team" value="{team.pk}"' in page
    assert "一人 待子" in page


def test_the_board_is_for_dispatch_roles(client_as, centre):
    for role, caps in MATRIX.items():
        expected = 200 if Cap.DISPATCH in caps else 403
        assert client_as(role).get(board_url(centre)).status_code == expected, role


def test_the_need_card_shows_personal_data_only_with_the_capability(client_as, centre, monkeypatch):
    need = factories.make_need(centre, status=NeedStatus.READY, requester_name="避難 花子", phone="090-2222-3333",
                               hazards="ブロック塀が傾いている")
    url = reverse("mapping:need_card", kwargs={"centre": centre.slug, "need": need.pk})
    card = client_as(Role.COORDINATOR).get(url).json()
    assert card["personal"]["phone"] == "090-2222-3333"
    assert card["hazards"] == "ブロック塀が傾いている" and card["refusal"] is None

    # A dispatch role without NEEDS_PERSONAL (a centre may configure one) sees no personal fields.
    monkeypatch.setitem(MATRIX, Role.COORDINATOR, MATRIX[Role.COORDINATOR] - {Cap.NEEDS_PERSONAL})
    limited = client_as(Role.COORDINATOR).get(url)
    assert "personal" not in limited.json()
    assert "2222" not in limited.content.decode() and "避難" not in limited.content.decode()


def test_the_need_card_counts_people_on_site(coordinator_client, centre):
    need = factories.make_need(centre, status=NeedStatus.READY, people_needed=5)
    dispatch(make_team(centre, 3), need)
    card = coordinator_client.get(reverse("mapping:need_card", kwargs={"centre": centre.slug, "need": need.pk})).json()
    assert (card["on_site"], card["room"]) == (3, 2)
    assert card["teams"][0]["label"] == "T-01"


def test_the_card_of_another_centres_need_is_404(coordinator_client, centre, other_centre):
    theirs = factories.make_need(other_centre)
    url = reverse("mapping:need_card", kwargs={"centre": centre.slug, "need": theirs.pk})
    assert coordinator_client.get(url).status_code == 404


def test_the_panel_flags_overdue_teams(coordinator_client, centre):
    from datetime import timedelta

    from django.utils import timezone

    from ops.dispatch.models import Team

    team = make_team(centre, 2)
    dispatch(team, factories.make_need(centre, status=NeedStatus.READY))
    Team.objects.filter(pk=team.pk).update(expected_return_at=timezone.now() - timedelta(minutes=1))
    panel = coordinator_client.get(reverse("mapping:panel", kwargs={"centre": centre.slug})).content.decode()
    assert "帰着予定超過" in panel and 'class="overdue"' in panel


def test_waiting_volunteers_are_anonymous_without_reception(client_as, centre, monkeypatch):
    factories.make_attendance(centre, factories.make_volunteer(name="秘密 太郎"), date=today(centre))
    monkeypatch.setitem(MATRIX, Role.COORDINATOR, MATRIX[Role.COORDINATOR] - {Cap.RECEPTION})
    panel = client_as(Role.COORDINATOR).get(reverse("mapping:panel", kwargs={"centre": centre.slug}))
    assert "秘密" not in panel.content.decode() and "ボランティア #" in panel.content.decode()
