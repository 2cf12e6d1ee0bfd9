"""The board's dispatch button: 201 with the slip link, 409 with the reason when someone else won."""
import json

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.dispatch.models import Dispatch
from tests.dispatch.conftest import make_ready_need, make_team

pytestmark = pytest.mark.django_db


def send(client, centre, **body):
    return client.post(reverse("dispatch:send", kwargs={"centre": centre.slug}), json.dumps(body),
                       content_type="application/json")


def test_dispatch_from_the_board(coordinator_client, centre):
    team, need = make_team(centre, 2), make_ready_need(centre)
    response = send(coordinator_client, centre, team=team.pk, need=need.pk)
    assert response.status_code == 201
    body = response.json()
    record = Dispatch.objects.get()
    assert body["slip_url"] == f"/s/{record.slip_token}/"
    assert "T-01" in body["message"] and need.label in body["message"]


def test_the_slower_coordinator_gets_409_and_a_reason(client_as, centre):
    team, need = make_team(centre, 2), make_ready_need(centre, people_needed=2)
    first, second = client_as(Role.COORDINATOR), client_as(Role.ADMIN)
    assert send(first, centre, team=team.pk, need=need.pk).status_code == 201
    response = send(second, centre, team=team.pk, need=need.pk)
    assert response.status_code == 409
    assert "すでに別のニーズ" in response.json()["error"]


def test_bad_input_is_400_not_500(coordinator_client, centre):
    url = reverse("dispatch:send", kwargs={"centre": centre.slug})
    assert coordinator_client.post(url, "not json", content_type="application/json").status_code == 400
    assert send(coordinator_client, centre, team="x", need=1).status_code == 400
    assert send(coordinator_client, centre).status_code == 400


def test_a_team_or_need_of_another_centre_is_404(coordinator_client, centre, other_centre):
    theirs = make_ready_need(other_centre)
    assert send(coordinator_client, centre, team=make_team(centre, 2).pk, need=theirs.pk).status_code == 404


def test_the_csrf_token_is_required(client, centre):
    from django.test import Client

    from tests import factories

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(factories.make_user(Role.COORDINATOR, centre))
    team, need = make_team(centre, 2), make_ready_need(centre)
    response = strict.post(reverse("dispatch:send", kwargs={"centre": centre.slug}),
                           json.dumps({"team": team.pk, "need": need.pk}), content_type="application/json")
    assert response.status_code == 403
    assert not Dispatch.objects.exists()


def test_roles_without_dispatch_cannot_send(client_as, centre):
    team, need = make_team(centre, 2), make_ready_need(centre)
    assert send(client_as(Role.INTAKE), centre, team=team.pk, need=need.pk).status_code == 403
