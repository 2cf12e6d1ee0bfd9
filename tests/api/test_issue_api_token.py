"""`manage.py issue_api_token <username>` gives an integration a token that acts with the user's roles."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from ops.centres.models import Role
from ops.credentials import digest
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def issue(*args):
    out = StringIO()
    call_command("issue_api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_the_issued_token_works_until_rotated(centre):
    """Each call issues a new key, printed once (only its hash is kept, so an earlier key cannot be printed
    again); --rotate revokes the earlier ones."""
    factories.make_user(Role.VIEWER, centre, username="city-dashboard")
    key = issue("city-dashboard")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert [c["slug"] for c in client.get(f"{API}/centres/").json()] == [centre.slug]

    new = issue("city-dashboard", "--rotate")
    assert new != key
    assert client.get(f"{API}/centres/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert client.get(f"{API}/centres/").status_code == 200
    assert ApiToken.objects.get(key_hash=digest(new)).expires_at > timezone.now() + timedelta(days=89)


def test_unknown_user_is_an_error():
    with pytest.raises(CommandError):
        issue("nobody")
