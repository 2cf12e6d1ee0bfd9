"""API tokens expire (API_TOKEN_DAYS) and can be revoked; a centre's administrator issues and revokes them at
/c/<centre>/api-tokens/ (the key shown once), and a token issued there acts at that centre only."""
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.token_services import issue_token, revoke_token
from ops.centres.models import AuditEntry, Membership, Role
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def api_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_expires_after_api_token_days(centre, settings):
    settings.API_TOKEN_DAYS = 90
    user = factories.make_user(Role.VIEWER, centre)
    _token, key = issue_token(user=user, name="市のダッシュボード")
    assert api_with(key).get(f"{API}/centres/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=89, hours=23)):
        assert api_with(key).get(f"{API}/centres/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=90, minutes=1)):
        response = api_with(key).get(f"{API}/centres/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert "有効期限" in response.json()["detail"]


def test_a_revoked_token_is_refused_at_once(centre):
    user = factories.make_user(Role.VIEWER, centre)
    token, key = issue_token(user=user, name="県社協")
    assert revoke_token(token) is True
    response = api_with(key).get(f"{API}/centres/{centre.slug}/figures/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "authentication_failed"
    assert revoke_token(token) is False  # once


def test_only_a_hash_of_the_key_is_kept(centre):
    _token, key = issue_token(user=factories.make_user(Role.VIEWER, centre), name="x")
    row = ApiToken.objects.values().get()
    assert key not in str(row)
    assert row["prefix"] == key[:8]


def test_a_token_issued_at_a_centre_acts_there_only(centre, other_centre):
    user = factories.make_user(Role.ADMIN, centre)
    Membership.objects.create(user=user, centre=other_centre, role=Role.ADMIN)
    _token, key = issue_token(user=user, name="ここだけ", centre=centre)
    client = api_with(key)
    assert client.get(f"{API}/centres/{centre.slug}/figures/").status_code == 200
    assert client.get(f"{API}/centres/{other_centre.slug}/figures/").status_code == 403
    assert [c["slug"] for c in client.get(f"{API}/centres/").json()] == [centre.slug]


def test_last_use_is_recorded(centre):
    token, key = issue_token(user=factories.make_user(Role.VIEWER, centre), name="x")
    assert token.last_used_at is None
    api_with(key).get(f"{API}/centres/")
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- the page -------------------------------------------------------------------------------------------

def page(centre):
    return reverse("api_tokens", kwargs={"centre": centre.slug})


def test_the_administrator_issues_a_token_and_sees_the_key_once(client_as, centre):
    client = client_as(Role.ADMIN)
    integration = factories.make_user(Role.VIEWER, centre, username="city-dash")
    response = client.post(page(centre), {"name": "市のダッシュボード", "user": integration.pk})
    assert response.status_code == 200
    key = re.search(r'class="token-key">([0-9a-f]{40})<', response.content.decode()).group(1)
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert (token.user, token.centre, token.created_by) == (integration, centre, client.user)
    assert token.expires_at > timezone.now() + timedelta(days=89)
    assert api_with(key).get(f"{API}/centres/{centre.slug}/figures/").status_code == 200

    listing = client.get(page(centre)).content.decode()
    assert key not in listing and key[:8] in listing and "市のダッシュボード" in listing
    entry = AuditEntry.objects.get(action="api_token.created")
    assert (entry.centre, entry.user, entry.object_id) == (centre, client.user, str(token.pk))
    assert key not in entry.note


def test_the_administrator_revokes_a_token(client_as, centre):
    client = client_as(Role.ADMIN)
    token, key = issue_token(user=factories.make_user(Role.VIEWER, centre), name="古い連携", centre=centre)
    response = client.post(reverse("api_token_revoke", kwargs={"centre": centre.slug, "pk": token.pk}))
    assert response.status_code == 302
    assert api_with(key).get(f"{API}/centres/").status_code == 401
    token.refresh_from_db()
    assert token.revoked_by == client.user
    assert AuditEntry.objects.filter(action="api_token.revoked", centre=centre, object_id=str(token.pk)).exists()


def test_the_page_lists_command_line_tokens_of_its_staff_and_can_revoke_them(client_as, centre, other_centre):
    client = client_as(Role.ADMIN)
    ours, _ = issue_token(user=factories.make_user(Role.VIEWER, centre), name="コマンドで発行")
    theirs, _ = issue_token(user=factories.make_user(Role.VIEWER, other_centre), name="よそのトークン")
    there, _ = issue_token(user=factories.make_user(Role.ADMIN, other_centre), name="よそのセンター用", centre=other_centre)
    body = client.get(page(centre)).content.decode()
    assert "コマンドで発行" in body and "よそのトークン" not in body and "よそのセンター用" not in body
    for token in (theirs, there):
        url = reverse("api_token_revoke", kwargs={"centre": centre.slug, "pk": token.pk})
        assert client.post(url).status_code == 404
        token.refresh_from_db()
        assert not token.revoked
    client.post(reverse("api_token_revoke", kwargs={"centre": centre.slug, "pk": ours.pk}))
    ours.refresh_from_db()
    assert ours.revoked


@pytest.mark.parametrize("data", [{}, {"name": "x"}, {"name": "   ", "user": "1"}, {"name": "x", "user": "abc"},
                                  {"name": "x" * 81, "user": "1"}])
def test_bad_input_is_a_400_and_issues_nothing(client_as, centre, data):
    client = client_as(Role.ADMIN)
    response = client.post(page(centre), data)
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_a_token_cannot_be_issued_for_someone_who_does_not_work_here(client_as, centre, other_centre):
    client = client_as(Role.ADMIN)
    stranger = factories.make_user(Role.ADMIN, other_centre)
    assert client.post(page(centre), {"name": "乗っ取り", "user": stranger.pk}).status_code == 400
    assert ApiToken.objects.count() == 0
