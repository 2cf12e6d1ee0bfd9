"""The OpenAPI schema is served, valid, and true: schemathesis drives the API in-process (WSGI) from it
and finds no server error and no answer that the schema does not describe."""
import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema

from tests.api.conftest import API
from tests.api.schema_data import run_schema, seed


@pytest.mark.django_db
def test_schema_is_served_valid_and_without_generator_warnings(api):
    GENERATOR_STATS.reset()
    response = api.get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    assert not GENERATOR_STATS, "drf-spectacular warned while building the schema"
    assert schema["info"]["title"] == "DVC API"
    paths = schema["paths"]
    assert {"/api/v1/centres/{centre}/needs/", "/api/v1/centres/{centre}/needs/{id}/status/",
            "/api/v1/centres/{centre}/dispatches/", "/api/v1/public/centres/{centre}/status/",
            "/api/v1/volunteer/check-in/", "/api/v1/centres/{centre}/figures/"} <= set(paths)
    status_change = paths["/api/v1/centres/{centre}/needs/{id}/status/"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "429"} <= set(status_change)
    assert status_change["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    public = paths["/api/v1/public/centres/{centre}/status/"]["get"]
    assert public.get("security", []) in ([], [{}])  # no credentials
    assert "401" not in public["responses"]


@pytest.mark.django_db(transaction=True)  # as real requests: no outer transaction (see the public snapshot)
def test_api_conforms_to_its_schema_in_process():
    """The whole Django app as a WSGI callable in this process (connections are not closed between
    requests, as in Django's test client)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        data = seed()
        schema = schemathesis.openapi.from_wsgi(f"{API}/schema/", WSGIHandler())
        failures = run_schema(schema, data)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert not failures, "\n\n".join(failures)
