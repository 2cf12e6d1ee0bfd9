"""Every refusal is a 4xx with one JSON shape {status, code, detail, errors?}, in Japanese unless the
request asks for English; bad input never reaches a 500."""
import pytest
from rest_framework.test import APIClient

from ops.centres.models import Role
from ops.needs.models import Need
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(as_role):
    return as_role(Role.COORDINATOR)


def needs_url(centre, rest=""):
    return f"{API}/centres/{centre.slug}/needs/{rest}"


def shape(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["code"] == code and body["detail"], body
    return body


def test_malformed_json_is_400(coordinator, centre):
    response = coordinator.generic("POST", needs_url(centre), '{"requester_name": "佐藤",',
                                   content_type="application/json")
    shape(response, 400, "parse_error")


def test_a_list_instead_of_an_object_is_400(coordinator, centre):
    body = shape(coordinator.post(needs_url(centre), [1, 2], format="json"), 400, "invalid")
    assert "non_field_errors" in body["errors"]


@pytest.mark.parametrize("field, value", [
    ("people_needed", "たくさん"), ("people_needed", 10**30), ("lat", 1e308), ("lat", "north"),
    ("work_types", "mud"), ("household", [{"a": 1}]), ("received_at", "yesterday"), ("base", 10**30),
    ("requester_name", "a\x00b"), ("requester_name", {"x": 1}), ("vehicle_needed", "maybe"),
    ("priority", 99999999999999999999),
])
def test_wrong_types_and_huge_numbers_are_400_per_field(coordinator, centre, field, value):
    data = {"requester_name": "佐藤 一郎", "address": "テスト市北町2-3", field: value}
    body = shape(coordinator.post(needs_url(centre), data, format="json"), 400, "invalid")
    assert field in body["errors"]
    assert not Need.objects.exists()


@pytest.mark.parametrize("params, field", [
    ({"status": "lost"}, "status"), ({"priority": "urgent"}, "priority"), ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "a,b,c,d"}, "bbox"), ({"updated_since": "last week"}, "updated_since"),
    ({"work_type": "no-such-work"}, "work_type"), ({"district": "x" * 500}, "district"),
])
def test_unknown_filter_values_are_400(coordinator, centre, params, field):
    body = shape(coordinator.get(needs_url(centre), params), 400, "invalid")
    assert field in body["errors"]


def test_unknown_filter_names_are_ignored(coordinator, centre):
    factories.make_need(centre)
    assert coordinator.get(needs_url(centre), {"colour": "red"}).json()["count"] == 1


def test_a_huge_id_is_404(coordinator, centre):
    shape(coordinator.get(needs_url(centre, f"{'9' * 30}/")), 404, "not_found")


def test_unknown_api_path_is_a_json_404(coordinator):
    shape(coordinator.get(f"{API}/no/such/thing/"), 404, "not_found")


def test_a_path_with_a_newline_is_a_json_404_too(coordinator, centre):
    """schemathesis sent a dispatch id with %0A in it: the catch-all's "." stopped at the newline and the site's
    HTML page answered."""
    shape(coordinator.get(f"{API}/centres/{centre.slug}/dispatches/d%0Ax/return-report/"), 404, "not_found")


def test_wrong_method_is_405(coordinator, centre):
    shape(coordinator.delete(needs_url(centre)), 405, "method_not_allowed")


def test_not_json_is_415(coordinator, centre):
    response = coordinator.generic("POST", needs_url(centre), "requester_name=x", content_type="text/plain")
    shape(response, 415, "unsupported_media_type")


def test_too_many_requests_is_429_with_the_wait(coordinator, centre, settings):
    settings.API_USER_RATE = "3/min"
    for _ in range(3):
        assert coordinator.get(needs_url(centre)).status_code == 200
    body = shape(coordinator.get(needs_url(centre)), 429, "throttled")
    assert 1 <= body["wait"] <= 61


def test_messages_are_japanese_by_default(api, centre):
    body = shape(api.get(needs_url(centre)), 401, "not_authenticated")
    assert body["detail"] == "認証情報が含まれていません。"


def test_messages_are_english_when_asked(as_role, centre):
    client = as_role(Role.COORDINATOR, language="en")
    body = shape(client.post(needs_url(centre), {}, format="json"), 400, "invalid")
    assert body["detail"] == "Please check your input."
    assert body["errors"]["requester_name"] == ["This field is required."]
    anonymous = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.get(needs_url(centre)).json()["detail"] == "Authentication credentials were not provided."


def test_session_writes_need_the_csrf_token(centre):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(factories.make_user(Role.COORDINATOR, centre))
    assert client.get(needs_url(centre)).status_code == 200  # the pages' scripts read with the session
    body = shape(client.post(needs_url(centre), {"requester_name": "x", "address": "y"}, format="json"),
                 403, "permission_denied")
    assert "CSRF" in body["detail"]
