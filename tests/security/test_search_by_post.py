"""Searches whose words may be personal data (a phone, a name, a scanned personal link) go by POST and never into
a URL (ops.privacy.searches): the needs list and reception keep the words in the session behind ?s=<key>, with
their filters and pages as before; the API's search is POST …/needs/search/ and a `q` in a GET is refused."""
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.needs.models import NeedStatus
from ops.privacy import searches
from ops.volunteers.services import register_volunteer
from tests import factories
from tests.searching import api_search, search
from tests.volunteers.conftest import details

pytestmark = pytest.mark.django_db
PHONE = "090-7373-2929"


def needs_list(centre):
    return reverse("needs:list", kwargs={"centre": centre.slug})


def reception(centre):
    return reverse("volunteers:reception", kwargs={"centre": centre.slug})


def every_url(response) -> list[str]:
    return [url for url, _status in response.redirect_chain] + [response.request["PATH_INFO"] + "?" +
                                                                response.request.get("QUERY_STRING", "")]


def test_the_needs_list_search_keeps_the_words_out_of_every_url(client_as, centre):
    need = factories.make_need(centre, requester_name="記録山 秘子", phone=PHONE)
    factories.make_need(centre, requester_name="別人", phone="090-1111-0000")
    client = client_as(Role.INTAKE)
    found = search(client, needs_list(centre), PHONE, status="open", district="")
    assert [n.pk for n in found.context["page"]] == [need.pk]
    for url in every_url(found):
        assert "7373" not in url and "q=" not in url, url
    (url, status), = found.redirect_chain
    assert status == 302 and parse_qs(urlsplit(url).query).keys() == {"status", "s"}  # empty filters left out
    body = found.content.decode()
    assert f'value="{PHONE}"' in body  # the box shows what was searched
    assert "7373" not in body.split('role="search"')[0]  # ...and nothing before the form (no link) carries it


def test_the_needs_list_pages_and_reloads_with_its_search(client_as, centre):
    for i in range(55):
        factories.make_need(centre, requester_name="同姓 多子" if i < 52 else "別人", status=NeedStatus.NEW)
    client = client_as(Role.INTAKE)
    first = search(client, needs_list(centre), "同姓")
    assert first.context["page"].paginator.count == 52
    key = first.context["request"].GET["s"]
    assert f"s={key}&amp;page=2" in first.content.decode()
    second = client.get(needs_list(centre), {"s": key, "page": 2})
    assert len(second.context["page"].object_list) == 2
    assert client.get(needs_list(centre), {"s": key}).context["filters"]["q"] == "同姓"  # a reload


def test_a_search_key_is_good_only_in_its_own_session(client_as, client, centre):
    factories.make_need(centre, requester_name="記録山 秘子")
    factories.make_need(centre, requester_name="別人")
    mine = client_as(Role.INTAKE)
    key = search(mine, needs_list(centre), "記録山").context["request"].GET["s"]
    other = factories.make_user(Role.INTAKE, centre)
    client.logout()
    client.force_login(other)
    page = client.get(needs_list(centre), {"s": key})
    assert page.context["filters"]["q"] == "" and page.context["page"].paginator.count == 2
    assert "検索の有効期限が切れました" in page.content.decode()


def test_the_session_keeps_only_the_latest_searches(client_as, centre):
    client = client_as(Role.INTAKE)
    keys = [search(client, needs_list(centre), f"語{i}").context["request"].GET["s"]
            for i in range(searches.KEEP + 3)]
    kept = client.session[searches.SESSION_KEY]
    assert list(kept) == keys[-searches.KEEP:]


def test_an_old_q_in_a_url_searches_nothing(client_as, centre):
    """A bookmark from before: the words are not read from the URL (the list shows unsearched)."""
    factories.make_need(centre, requester_name="記録山 秘子")
    factories.make_need(centre, requester_name="別人")
    page = client_as(Role.INTAKE).get(needs_list(centre), {"q": "記録山"})
    assert page.context["page"].paginator.count == 2


def test_reception_searches_by_post_and_a_scanned_qr_opens_the_card(client_as, centre):
    volunteer = register_volunteer(centre=centre, **details(phone=PHONE))
    desk = client_as(Role.RECEPTION)
    found = search(desk, reception(centre), PHONE)
    assert volunteer.name in found.content.decode()
    for url in every_url(found):
        assert "7373" not in url, url
    scanned = search(desk, reception(centre), f"http://x/v/{volunteer.token}/")
    assert scanned.redirect_chain[-1][0] == reverse("volunteers:card", kwargs={"centre": centre.slug,
                                                                               "pk": volunteer.pk})
    assert all(volunteer.token not in url for url in every_url(scanned))


def test_the_search_forms_post_with_a_csrf_token(client_as, centre):
    for role, page in ((Role.INTAKE, needs_list(centre)), (Role.RECEPTION, reception(centre))):
        body = client_as(role).get(page).content.decode()
        form = body[body.index("<form", body.index('role="search"') - 80):]
        assert 'method="post"' in form[:200] and "csrfmiddlewaretoken" in form[:400], page


# --- the API -------------------------------------------------------------------------------------------------

def test_the_api_search_is_a_post_with_filters_and_pages(client_as, centre):
    for i in range(3):
        factories.make_need(centre, requester_name="記録山 秘子", phone=PHONE, district="北町" if i else "南町")
    factories.make_need(centre, requester_name="別人", phone="090-1111-0000", district="北町")
    client = client_as(Role.COORDINATOR)
    assert api_search(client, centre, PHONE).json()["count"] == 3
    assert api_search(client, centre, PHONE, district="北町").json()["count"] == 2
    page = client.post(f"/api/v1/centres/{centre.slug}/needs/search/?limit=1&offset=1", json.dumps({"q": PHONE}),
                       content_type="application/json").json()
    assert page["count"] == 3 and len(page["results"]) == 1 and "offset=2" in page["next"]
    assert "7373" not in page["next"]


def test_a_q_in_the_api_list_url_is_refused_with_the_way_to_search(client_as, centre):
    client = client_as(Role.COORDINATOR)
    response = client.get(f"/api/v1/centres/{centre.slug}/needs/", {"q": PHONE})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "search_by_post" and body["status"] == 400
    assert f"/api/v1/centres/{centre.slug}/needs/search/" in body["detail"]
    assert client.get(f"/api/v1/centres/{centre.slug}/needs/", {"district": "北町"}).status_code == 200


def test_the_api_search_refuses_junk_with_a_json_error(client_as, centre):
    client = client_as(Role.COORDINATOR)
    for raw in ("[]", '"x"', '{"q": 5, "status": "nope"}', "{"):
        response = client.post(f"/api/v1/centres/{centre.slug}/needs/search/", raw, content_type="application/json")
        assert response.status_code == 400 and response.json()["code"] in ("invalid", "parse_error"), raw
