"""schemathesis against the live app (uvicorn, PostgreSQL, Redis, the Celery worker): every operation of
the schema the server serves, valid and invalid requests, with an admin's token; no 500, no answer the
schema does not describe."""
import pytest
import schemathesis

from tests.api.schema_data import run_schema, seed

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
SCHEMA = "/api/v1/schema/"


def test_live_api_conforms_to_its_schema(stack):
    data = seed()
    schema = schemathesis.openapi.from_url(stack.server_url + SCHEMA)
    failures = run_schema(schema, data, max_examples=12, base_url=stack.server_url)
    assert not failures, "\n\n".join(failures)
