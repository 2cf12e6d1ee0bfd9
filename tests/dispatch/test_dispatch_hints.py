"""The hint and the server ask the same rule: what the map board's need card, its teams panel and the teams
page say before the button is what `dispatch` answers after it."""
from datetime import time

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.dispatch.models import Dispatch
from ops.dispatch.services import DispatchRefused, dispatch
from tests.dispatch.conftest import make_ready_need, make_team

pytestmark = pytest.mark.django_db


def past_return_time(centre):
    """The centre's latest return time (00:00) has passed, whatever the hour the tests run at."""
    centre.latest_return_time = time(0, 0)
    centre.save(update_fields=["latest_return_time"])


def refusal_of(team, need) -> str:
    with pytest.raises(DispatchRefused) as err:
        dispatch(team, need)
    assert not Dispatch.objects.filter(team=team).exists()
    return err.value.message


def card(client, need) -> dict:
    return client.get(reverse("mapping:need_card", kwargs={"centre": need.centre.slug, "need": need.pk})).json()


def test_after_the_latest_return_time_the_board_says_the_servers_refusal(client_as, centre):
    team, need = make_team(centre, 2), make_ready_need(centre)
    past_return_time(centre)
    coordinator = client_as(Role.COORDINATOR)
    shown = card(coordinator, need)
    refused = refusal_of(team, need)
    assert "帰着期限（00:00）を過ぎている" in refused
    assert shown["refusal"] == refused
    assert shown["team_refusals"] == {str(team.pk): refused}
    panel = coordinator.get(reverse("mapping:panel", kwargs={"centre": centre.slug})).content.decode()
    assert refused in panel


def test_after_the_latest_return_time_the_teams_page_says_the_servers_refusal(client_as, centre):
    team, need = make_team(centre, 2), make_ready_need(centre)
    past_return_time(centre)
    page = client_as(Role.COORDINATOR).get(reverse("dispatch:teams", kwargs={"centre": centre.slug}))
    assert refusal_of(team, need) in page.content.decode()


def test_the_board_offers_a_team_the_server_would_send(coordinator_client, centre):
    team, need = make_team(centre, 2), make_ready_need(centre, people_needed=2)
    shown = card(coordinator_client, need)
    assert shown["refusal"] is None and shown["team_refusals"] == {str(team.pk): None}
    dispatch(team, need)


def test_a_team_too_big_for_the_room_left_is_refused_in_the_servers_words(coordinator_client, centre):
    need = make_ready_need(centre, people_needed=3)
    dispatch(make_team(centre, 2), need)
    big, small = make_team(centre, 2), make_team(centre, 1)
    shown = card(coordinator_client, need)
    assert shown["refusal"] is None and shown["team_refusals"][str(small.pk)] is None
    assert shown["team_refusals"][str(big.pk)] == refusal_of(big, need)
    assert "必要人数は3人で、すでに2人が向かっています" in shown["team_refusals"][str(big.pk)]


def test_a_need_no_team_can_go_to_says_why_before_a_team_is_chosen(coordinator_client, centre):
    need = make_ready_need(centre, people_needed=2)
    dispatch(make_team(centre, 2), need)
    team = make_team(centre, 1)
    shown = card(coordinator_client, need)
    assert "すでに2人が向かっています" in shown["refusal"]
    assert shown["team_refusals"][str(team.pk)] == refusal_of(team, need)
