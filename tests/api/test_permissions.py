"""The API answers each role as the pages do: ops.permissions decides, anonymous gets 401, staff of
another centre 403, and residents' personal data only reaches roles that may see it."""
import pytest

from ops.centres.models import Role
from tests import factories
from tests.api.conftest import API, token_client
from tests.searching import api_search

pytestmark = pytest.mark.django_db

R = Role
ROLES = [R.ADMIN, R.COORDINATOR, R.INTAKE, R.RECEPTION, R.WELFARE, R.LEADER, R.VIEWER]
# endpoint -> roles that get in (the rest of the centre's staff get 403)
MATRIX = {
    ("get", "needs/"): {R.ADMIN, R.COORDINATOR, R.INTAKE, R.WELFARE, R.LEADER, R.VIEWER},
    ("get", "needs/{need}/"): {R.ADMIN, R.COORDINATOR, R.INTAKE, R.WELFARE, R.LEADER, R.VIEWER},
    ("post", "needs/"): {R.ADMIN, R.COORDINATOR, R.INTAKE},
    ("patch", "needs/{need}/"): {R.ADMIN, R.COORDINATOR, R.INTAKE},
    ("post", "needs/{need}/status/"): {R.ADMIN, R.COORDINATOR, R.INTAKE},
    ("get", "teams/"): {R.ADMIN, R.COORDINATOR},
    ("get", "teams/waiting/"): {R.ADMIN, R.COORDINATOR},
    ("post", "teams/"): {R.ADMIN, R.COORDINATOR},
    ("get", "dispatches/"): {R.ADMIN, R.COORDINATOR},
    ("post", "dispatches/"): {R.ADMIN, R.COORDINATOR},
    ("get", "figures/"): {R.ADMIN, R.COORDINATOR, R.LEADER, R.VIEWER},
}
# A body the permission check is reached with; validation comes after it.
BODIES = {"post": {}, "patch": {}}


@pytest.fixture
def need(centre):
    return factories.make_need(centre)


def _call(client, method, centre, path, need):
    url = f"{API}/centres/{centre.slug}/{path.format(need=need.pk)}"
    return getattr(client, method)(url, BODIES.get(method), format="json")


@pytest.mark.parametrize(("method", "path"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_pages_give_it(as_role, centre, need, method, path, role):
    response = _call(as_role(role), method, centre, path, need)
    if role in MATRIX[(method, path)]:
        assert response.status_code not in (401, 403), response.json()
    else:
        assert response.status_code == 403, response.json()
        assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(("method", "path"), list(MATRIX))
def test_anonymous_gets_401_with_a_challenge(api, centre, need, method, path):
    response = _call(api, method, centre, path, need)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(("method", "path"), list(MATRIX))
def test_admin_of_another_centre_gets_403(centre, other_centre, need, method, path):
    outsider = token_client(factories.make_user(Role.ADMIN, other_centre))
    response = _call(outsider, method, centre, path, need)
    assert response.status_code == 403


def test_a_wrong_token_is_401(api, centre):
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = api.get(f"{API}/centres/{centre.slug}/needs/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_unknown_centre_is_404(admin_api):
    response = admin_api.get(f"{API}/centres/no-such-centre/needs/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_need_of_another_centre_is_404_even_for_its_own_admin(as_role, centre, other_centre):
    elsewhere = factories.make_need(other_centre)
    response = as_role(Role.ADMIN).get(f"{API}/centres/{centre.slug}/needs/{elsewhere.pk}/")
    assert response.status_code == 404


def test_centres_lists_only_the_callers_centres_with_roles(centre, other_centre):
    factories.make_centre()  # a third centre nobody here works at
    user = factories.make_user(Role.VIEWER, centre)
    factories.Membership.objects.create(user=user, centre=other_centre, role=Role.COORDINATOR)
    body = token_client(user).get(f"{API}/centres/").json()
    assert [c["slug"] for c in body] == [centre.slug, other_centre.slug]
    assert body[0]["roles"] == ["viewer"]
    assert "needs_personal" not in body[0]["capabilities"]
    assert "dispatch" in body[1]["capabilities"]


PERSONAL = {"requester_name", "requester_kana", "phone", "address", "description", "hazards", "notes", "household",
            "welfare", "consent_share", "requester_type"}


@pytest.mark.parametrize("role", [R.VIEWER, R.LEADER])
def test_city_viewers_and_leaders_get_locations_and_statuses_only(as_role, centre, role):
    need = factories.make_need(centre, description="2階に高齢の母", hazards="床が抜けそう", lat=36.651234,
                               lng=138.181234)
    client = as_role(role)
    listed = client.get(f"{API}/centres/{centre.slug}/needs/").json()["results"][0]
    detail = client.get(f"{API}/centres/{centre.slug}/needs/{need.pk}/").json()
    for body in (listed, detail):
        assert PERSONAL.isdisjoint(body), body
        assert body["status"] == "new" and (body["lat"], body["lng"]) == (36.651, 138.181)  # about 100 m
        assert "山田" not in str(body) and "090" not in str(body) and "高齢" not in str(body)


@pytest.mark.parametrize("role", [R.COORDINATOR, R.INTAKE, R.WELFARE])
def test_roles_with_personal_rights_see_who_asked(as_role, centre, need, role):
    body = as_role(role).get(f"{API}/centres/{centre.slug}/needs/{need.pk}/").json()
    assert body["requester_name"] == "山田 花子"
    assert body["phone"] == "090-1234-5678"
    assert body["address"] == "テスト市中央1-2-3"


def test_text_search_does_not_reveal_names_to_viewers(as_role, centre):
    from ops.needs.services import record_need

    record_need(centre=centre, requester_name="山田 花子", address="テスト市中央1-2-3", phone="090-1234-5678")
    assert api_search(as_role(R.VIEWER), centre, "山田").json()["count"] == 0
    assert api_search(as_role(R.COORDINATOR), centre, "山田").json()["count"] == 1


def test_dispatch_desk_sees_team_members_by_name(centre, as_role):
    from tests.dispatch.conftest import make_team

    make_team(centre, size=2)
    members = as_role(R.COORDINATOR).get(f"{API}/centres/{centre.slug}/teams/").json()["results"][0]["members"]
    assert len(members) == 2
    assert all(m["name"].startswith("ボランティア") for m in members)
