"""The staff intake card, edit, list, detail and print pages as each role sees them."""
from pathlib import Path

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.needs.models import Need, NeedStatus
from tests import factories
from tests.needs.conftest import form_data
from tests.searching import search

pytestmark = pytest.mark.django_db


def url(name, centre, **kw):
    return reverse(f"needs:{name}", kwargs={"centre": centre.slug, **kw})


def test_intake_form_shows_the_map_and_its_script(client_as, centre):
    body = client_as(Role.INTAKE).get(url("new", centre)).content.decode()
    assert 'id="intake-map"' in body and "needs/intake.js" in body and "js/map.js" in body
    assert 'name="lat"' in body and 'name="lng"' in body
    assert f'data-lat="{centre.lat}"' in body  # the centre's own position, as it is


def test_intake_saves_a_need_and_opens_it(client_as, centre):
    client = client_as(Role.INTAKE)
    response = client.post(url("new", centre), form_data())
    need = Need.objects.get()
    assert response.status_code == 302 and response.url == url("detail", centre, pk=need.pk)
    assert need.status == NeedStatus.NEW and need.created_by == client.user
    assert (need.lat, need.lng, need.address) == (36.6451, 138.1902, "テスト市川端町3-4-5")
    page = client.get(response.url).content.decode()
    assert "N-0001 を受け付けました" in page


def test_save_and_next_returns_to_an_empty_card(client_as, centre):
    response = client_as(Role.INTAKE).post(url("new", centre), {**form_data(), "save_and_new": "1"})
    assert response.url == url("new", centre)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("phone", "090-12", "桁数"),
    ("requester_name", "", "必須"),
    ("lat", "99", "日本国内"),  # outside the sane range
    ("people_needed", "abc", "整数"),
])
def test_errors_are_shown_per_field_and_nothing_is_saved(client_as, centre, field, value, message):
    response = client_as(Role.INTAKE).post(url("new", centre), form_data(**{field: value}))
    assert response.status_code == 200
    assert not Need.objects.exists()
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert 'class="field has-error' in response.content.decode() or field == "lat"


def test_errors_are_in_english_for_english_users(client_as, centre):
    client = client_as(Role.INTAKE)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(url("new", centre), form_data(phone="090-12"))
    assert "digits" in " ".join(response.context["form"].errors["phone"])


def test_roles_without_edit_cannot_open_the_intake_card(client_as, centre):
    assert client_as(Role.VIEWER).get(url("new", centre)).status_code == 403


def test_anonymous_is_sent_to_login(client, centre):
    response = client.get(url("list", centre))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_staff_of_another_centre_are_refused(client, centre, other_centre):
    client.force_login(factories.make_user(Role.ADMIN, other_centre))
    need = factories.make_need(centre)
    assert client.get(url("detail", centre, pk=need.pk)).status_code == 403
    assert client.get(url("detail", other_centre, pk=need.pk)).status_code == 404


def test_edit_changes_the_need(client_as, centre):
    need = factories.make_need(centre)
    client = client_as(Role.INTAKE)
    data = form_data(requester_name=need.requester_name, address="テスト市中央9-9-9", people_needed="3")
    response = client.post(url("edit", centre, pk=need.pk), data)
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.address == "テスト市中央9-9-9" and need.people_needed == 3


@pytest.mark.parametrize("role", [Role.VIEWER, Role.LEADER])
def test_list_and_detail_hide_personal_data_from_roles_without_it(client_as, centre, role):
    need = factories.make_need(centre, requester_name="秘密 太郎", phone="090-8888-7777", address="テスト市秘密町1-1")
    client = client_as(role)
    for page in (url("list", centre), url("detail", centre, pk=need.pk), url("card", centre, pk=need.pk)):
        body = client.get(page).content.decode()
        assert need.label in body
        for secret in ("秘密 太郎", "090-8888-7777", "秘密町", need.reference_token):
            assert secret not in body, (page, secret)


def test_list_search_does_not_reveal_names_to_roles_without_personal_data(client_as, centre):
    factories.make_need(centre, requester_name="秘密 太郎", description="畳の運び出し", district="川端")
    client = client_as(Role.VIEWER)
    assert search(client, url("list", centre), "秘密").context["page"].paginator.count == 0
    # the description is the resident's own words: not the viewer's to read, nor to search
    assert search(client, url("list", centre), "畳").context["page"].paginator.count == 0
    assert search(client, url("list", centre), "川端").context["page"].paginator.count == 1


def test_intake_staff_see_personal_data_and_search_by_phone(client_as, centre):
    need = factories.make_need(centre, requester_name="見える 花子", phone="090-5555-6666")
    client = client_as(Role.INTAKE)
    body = client.get(url("list", centre)).content.decode()
    assert "見える 花子" in body
    found = search(client, url("list", centre), "０９０５５５５６６６６").context["page"]
    assert [n.pk for n in found] == [need.pk]


def test_list_filters_and_paging(client_as, centre):
    for i in range(55):
        factories.make_need(centre, district="川端" if i % 2 else "中央", status=NeedStatus.READY if i < 5 else "new",
                            work_types=["debris"] if i == 3 else ["mud"], priority=1 if i == 7 else 2)
    client = client_as(Role.VIEWER)
    page = client.get(url("list", centre)).context["page"]
    assert page.paginator.count == 55 and len(page.object_list) == 50
    assert len(client.get(url("list", centre), {"page": 2}).context["page"].object_list) == 5
    assert client.get(url("list", centre), {"status": "ready"}).context["page"].paginator.count == 5
    assert client.get(url("list", centre), {"district": "川端"}).context["page"].paginator.count == 27
    assert client.get(url("list", centre), {"work_type": "debris"}).context["page"].paginator.count == 1
    assert client.get(url("list", centre), {"priority": "1"}).context["page"].paginator.count == 1
    assert search(client, url("list", centre), "N-0004").context["page"][0].number == 4
    assert client.get(url("list", centre), {"page": "zzz"}).status_code == 200


def test_detail_shows_history_and_allowed_status_choices(client_as, centre):
    need = factories.make_need(centre, status=NeedStatus.SURVEYED)
    response = client_as(Role.INTAKE).get(url("detail", centre, pk=need.pk))
    assert [c[0] for c in response.context["status_form"].fields["to"].choices] == ["ready", "cancelled", "on_hold"]


def test_status_change_through_the_page_and_refusal_message(client_as, centre):
    need = factories.make_need(centre)
    client = client_as(Role.INTAKE)
    response = client.post(url("status", centre, pk=need.pk), {"to": "ready", "reason": "電話で確認"}, follow=True)
    need.refresh_from_db()
    assert need.status == "ready"
    line = need.history.last()
    assert (line.from_status, line.to_status, line.by, line.reason) == ("new", "ready", client.user, "電話で確認")
    response = client.post(url("status", centre, pk=need.pk), {"to": "completed"}, follow=True)
    assert "「マッチング待ち」から「完了」には変更できません。" in response.content.decode()
    need.refresh_from_db()
    assert need.status == "ready"


def test_status_change_on_a_stale_page_is_refused(client_as, centre):
    need = factories.make_need(centre)
    client = client_as(Role.INTAKE)
    response = client.post(url("status", centre, pk=need.pk), {"to": "ready", "version": 99}, follow=True)
    assert "他の人が更新しました" in response.content.decode()
    need.refresh_from_db()
    assert need.status == "new"


def test_viewer_cannot_change_status(client_as, centre):
    need = factories.make_need(centre)
    assert client_as(Role.VIEWER).post(url("status", centre, pk=need.pk), {"to": "ready"}).status_code == 403


def test_print_card_is_an_a4_page_with_the_need(client_as, centre):
    need = factories.make_need(centre)
    response = client_as(Role.INTAKE).get(url("card", centre, pk=need.pk))
    body = response.content.decode()
    assert "ニーズ受付票" in body and need.label in body and "山田 花子" in body
    css = Path("ops/needs/static/needs/needs.css").read_text(encoding="utf-8")
    assert "size: A4" in css


def test_pages_have_no_inline_scripts_or_styles(client_as, centre):
    need = factories.make_need(centre)
    client = client_as(Role.ADMIN)
    for page in (url("new", centre), url("list", centre), url("detail", centre, pk=need.pk),
                 url("card", centre, pk=need.pk), url("survey", centre, pk=need.pk), url("import", centre),
                 reverse("welfare:cases", kwargs={"centre": centre.slug})):
        body = client.get(page).content.decode()
        assert "<script>" not in body and " style=" not in body and "onclick" not in body, page


def test_resident_slip_has_the_number_and_a_qr_of_the_private_link(client_as, centre):
    need = factories.make_need(centre)
    response = client_as(Role.INTAKE).get(url("slip", centre, pk=need.pk))
    body = response.content.decode()
    assert need.label in body and f"/r/{need.reference_token}/" in body and "<svg" in body
    assert client_as(Role.VIEWER).get(url("slip", centre, pk=need.pk)).status_code == 403
