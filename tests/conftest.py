"""Shared fixtures. Integration fixtures start real servers (uvicorn, Celery worker) through harness.Stack on
top of the test database and the Redis that `make test` started."""
import os
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from ops.centres.models import Role
from tests import factories


@pytest.fixture
def centre(db):
    return factories.make_centre()


@pytest.fixture
def other_centre(db):
    return factories.make_centre()


@pytest.fixture
def staff(centre):
    """A function: staff(role) -> a user holding that role at `centre`."""
    return lambda role: factories.make_user(role, centre)


@pytest.fixture
def client_as(client, centre):
    """A function: client_as(role) -> the test client logged in as a user with that role at `centre`."""

    def login(role):
        user = factories.make_user(role, centre)
        client.force_login(user)
        client.user = user
        return client

    return login


@pytest.fixture
def coordinator_client(client_as):
    return client_as(Role.COORDINATOR)


def _database_url() -> str:
    s = connection.settings_dict
    if s["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("integration tests run on PostgreSQL (make test)")
    user = quote(s["USER"] or "postgres")
    return f"postgres://{user}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="session")
def stack(django_db_setup, django_db_blocker):
    """Real uvicorn + Celery worker against the test database and `make test`'s Redis, for the session."""
    from harness import Stack

    with django_db_blocker.unblock():
        db_url = _database_url()
    s = Stack(postgres=False, redis=False)
    s.extra_env = {"DATABASE_URL": db_url, "REDIS_URL": settings.REDIS_URL,
                   "EMAIL_URL": os.environ.get("EMAIL_URL", "consolemail://")}
    try:
        s.server_url = s.start_server()
        s.start_worker()
        yield s
    finally:
        s.stop()
