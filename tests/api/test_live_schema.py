"""schemathesis against the live app (uvicorn, PostgreSQL, Redis, the Celery worker): every operation of
the schema the server serves, valid and invalid requests, with an admin's token; no 500, no answer the
schema does not describe."""
import urllib.error
import urllib.request

import pytest
import schemathesis

from harness import Stack
from tests.api.schema_data import run_schema, seed

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
SCHEMA = "/api/v1/schema/"


def _serves_api(base_url) -> bool:
    try:
        with urllib.request.urlopen(base_url + SCHEMA, timeout=10) as response:  # noqa: S310
            return response.status == 200
    except urllib.error.HTTPError:
        return False


@pytest.fixture
def live_api(stack):
    """The session's server once the project includes the API; until then a server of our own with the
    API added (tests/api/live_settings.py), on the same database and Redis."""
    if _serves_api(stack.server_url):
        yield stack.server_url
        return
    own = Stack(postgres=False, redis=False)
    own.extra_env = stack.extra_env
    try:
        yield own.start_server(env=stack.env(DJANGO_SETTINGS_MODULE="tests.api.live_settings"))
    finally:
        own.stop()


def test_live_api_conforms_to_its_schema(live_api):
    data = seed()
    schema = schemathesis.openapi.from_url(live_api + SCHEMA)
    failures = run_schema(schema, data, max_examples=12, base_url=live_api)
    assert not failures, "\n\n".join(failures)
