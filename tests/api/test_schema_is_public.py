"""The OpenAPI schema is public, on purpose: it describes the routes, fields and error codes and holds no
data (no centre, no person, no key). Decided in issue 17 and written in the README's "HTTP API"."""
import pytest
from django.urls import reverse

from api.token_services import issue_token
from harness.stack import ROOT
from ops.centres.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_anyone_may_read_the_schema_and_it_holds_no_data(client):
    centre = factories.make_centre(name="秘密川市災害VC", slug="himitsugawa")
    factories.make_need(centre, requester_name="公開 されない", phone="090-9999-0001")
    _token, key = issue_token(user=factories.make_user(Role.ADMIN, centre, username="schema-admin"), name="連携")
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    text = response.content.decode()
    assert '"openapi"' in text and "/api/v1/centres/{centre}/needs/" in text
    for secret in ("秘密川", "himitsugawa", "公開 されない", "090-9999-0001", "schema-admin", key, key[:8]):
        assert secret not in text, secret


def test_the_readme_says_so():
    assert "The schema is public on purpose" in (ROOT / "README.md").read_text()
