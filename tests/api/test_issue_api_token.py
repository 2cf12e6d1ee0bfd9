"""`manage.py issue_api_token <username>` gives an integration a token that acts with the user's roles."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from ops.centres.models import Role
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def issue(*args):
    out = StringIO()
    call_command("issue_api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_the_issued_token_works_and_is_stable_until_rotated(centre):
    user = factories.make_user(Role.VIEWER, centre, username="city-dashboard")
    key = issue("city-dashboard")
    assert issue("city-dashboard") == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert [c["slug"] for c in client.get(f"{API}/centres/").json()] == [centre.slug]

    new = issue("city-dashboard", "--rotate")
    assert new != key
    assert client.get(f"{API}/centres/").status_code == 401
    assert user.auth_token.key == new


def test_unknown_user_is_an_error():
    with pytest.raises(CommandError):
        issue("nobody")
