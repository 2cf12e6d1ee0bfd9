"""Tokens of DRF's authtoken (before issue 17) become ApiTokens with the same key and an expiry; the old table,
which kept the keys in clear, is emptied (api/migrations/0002)."""
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from ops.centres.models import Role
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db
KEY = "0123456789abcdef0123456789abcdef01234567"


def test_an_existing_drf_token_keeps_working_and_now_expires(centre, settings):
    settings.API_TOKEN_DAYS = 90
    user = factories.make_user(Role.VIEWER, centre)
    with connection.cursor() as cursor:  # the table as rest_framework.authtoken left it
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
                       "created timestamp with time zone NOT NULL, user_id integer NOT NULL)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [KEY, "2026-01-01T00:00:00Z", user.pk])
    migration = import_module("api.migrations.0002_tokens_from_authtoken")
    with connection.schema_editor() as editor:
        migration.copy_tokens(apps, editor)

    token = ApiToken.objects.get()
    assert (token.user, token.prefix, token.centre) == (user, KEY[:8], None)
    assert token.created_at.year == 2026 and token.created_at.month == 1
    assert (token.expires_at - timezone.now()).days in (89, 90)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {KEY}")
    assert client.get(f"{API}/centres/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
