"""Possible duplicates: by normalised phone, by name or kana at a similar address, within 50 m; shown while
typing (JSON, staff only) and checked again before saving."""
from pathlib import Path

import pytest
from django.urls import reverse

from mapping.geo import haversine_m
from ops.centres.models import AuditEntry, Role
from ops.needs.duplicates import find_duplicates
from ops.needs.models import Need
from tests import factories
from tests.needs.conftest import form_data

pytestmark = pytest.mark.django_db
LAT, LNG = 36.6451, 138.1902


@pytest.fixture
def existing(centre):
    return factories.make_need(centre, requester_name="長野 一郎", requester_kana="ナガノ イチロウ",
                               phone="090-1111-2222", address="テスト市川端町3-4-5", lat=LAT, lng=LNG)


def reasons(matches):
    return {m.need.pk: set(m.reasons) for m in matches}


def test_same_phone_in_any_spelling_matches(centre, existing):
    found = find_duplicates(centre, phone="＋８１ ９０ーー１１１１ー２２２２")
    assert reasons(found) == {existing.pk: {"phone"}}


def test_same_kana_at_a_similar_address_matches(centre, existing):
    found = find_duplicates(centre, kana="ながの いちろう", address="テスト市川端町三丁目4番地の5")
    assert reasons(found)[existing.pk] >= {"kana", "address"}


def test_a_common_name_alone_is_not_a_match(centre, existing):
    assert find_duplicates(centre, name="長野 一郎", address="テスト市柳原9-9-9") == []


def test_a_pin_within_50_m_matches_and_one_at_80_m_does_not(centre, existing):
    near_lat = LAT + 40 / 111_320  # about 40 m north
    far_lat = LAT + 80 / 111_320
    assert 35 < haversine_m(LAT, LNG, near_lat, LNG) < 45
    assert reasons(find_duplicates(centre, lat=near_lat, lng=LNG)) == {existing.pk: {"near"}}
    assert find_duplicates(centre, lat=far_lat, lng=LNG) == []


def test_other_centres_needs_never_match(centre, other_centre, existing):
    assert find_duplicates(other_centre, phone="090-1111-2222") == []


def test_best_match_first_and_at_most_five(centre, existing):
    for i in range(7):
        factories.make_need(centre, phone=f"080-0000-{i:04d}", lat=LAT + 0.0001, lng=LNG, address=f"別の住所{i}")
    found = find_duplicates(centre, phone="090-1111-2222", lat=LAT, lng=LNG)
    assert len(found) == 5
    assert found[0].need == existing


def test_json_endpoint_for_intake_staff(client_as, centre, existing):
    client = client_as(Role.INTAKE)
    response = client.post(reverse("needs:duplicates", kwargs={"centre": centre.slug}), {"phone": "09011112222"})
    assert response.status_code == 200
    row = response.json()["matches"][0]
    assert row["label"] == existing.label and row["reasons"] == ["電話番号が同じ"]
    assert row["name"] == "長野 一郎"
    assert response["Cache-Control"] == "no-store"


def test_json_endpoint_refuses_roles_without_intake_and_bad_input(client_as, client, centre, existing):
    target = reverse("needs:duplicates", kwargs={"centre": centre.slug})
    assert client_as(Role.VIEWER).post(target, {"phone": "09011112222"}).status_code == 403
    client.logout()
    assert client.post(target).status_code == 302
    assert client_as(Role.INTAKE).post(target, {"lat": "x", "lng": "1"}).status_code == 400


def test_json_endpoint_takes_what_is_typed_only_by_post(client_as, centre, existing):
    """A phone, a name or an address in a URL would be in every access log and proxy on the way."""
    target = reverse("needs:duplicates", kwargs={"centre": centre.slug})
    assert client_as(Role.INTAKE).get(target, {"phone": "09011112222"}).status_code == 405


def test_saving_a_possible_duplicate_asks_first(client_as, centre, existing):
    client = client_as(Role.INTAKE)
    response = client.post(reverse("needs:new", kwargs={"centre": centre.slug}), form_data(phone="090-1111-2222"))
    assert response.status_code == 200
    assert Need.objects.count() == 1
    assert [m.need for m in response.context["matches"]] == [existing]
    assert "別の世帯です" in response.content.decode()


def test_staff_can_confirm_a_different_household(client_as, centre, existing):
    client = client_as(Role.INTAKE)
    data = form_data(phone="090-1111-2222", duplicate_decision="different")
    response = client.post(reverse("needs:new", kwargs={"centre": centre.slug}), data)
    assert response.status_code == 302
    new = Need.objects.exclude(pk=existing.pk).get()
    assert new.status == "new" and new.duplicate_of is None
    # On the new need's one entry, not a second entry in another format.
    audit = AuditEntry.objects.get(object_type="needs.need", object_id=str(new.pk))
    assert audit.action == "need.created" and "not_duplicate_of" in audit.fields
    assert audit.note == existing.label and audit.user == client.user


def test_staff_can_link_the_call_to_the_existing_need(client_as, centre, existing):
    client = client_as(Role.INTAKE)
    data = form_data(phone="090-1111-2222", duplicate_decision=str(existing.pk))
    response = client.post(reverse("needs:new", kwargs={"centre": centre.slug}), data)
    assert response.url == reverse("needs:detail", kwargs={"centre": centre.slug, "pk": existing.pk})
    repeat = Need.objects.exclude(pk=existing.pk).get()
    assert repeat.duplicate_of == existing and repeat.status == "cancelled"
    assert repeat.label in client.get(response.url).content.decode()


def test_the_intake_page_has_the_live_check_wired(client_as, centre):
    body = client_as(Role.INTAKE).get(reverse("needs:new", kwargs={"centre": centre.slug})).content.decode()
    assert f'data-duplicates-url="/c/{centre.slug}/needs/duplicates/"' in body
    script = Path("ops/needs/static/needs/intake.js").read_text(encoding="utf-8")
    assert "setTimeout" in script and "DVC.createMap" in script and "dragend" in script


def test_the_duplicate_check_preselects_nothing_and_staff_must_choose(client_as, centre, existing):
    client = client_as(Role.INTAKE)
    target = reverse("needs:new", kwargs={"centre": centre.slug})
    page = client.post(target, form_data(phone="090-1111-2222")).content.decode()
    radios = [tag.split(">", 1)[0] for tag in page.split("<input")[1:] if 'name="duplicate_decision"' in tag.split(">", 1)[0]]
    assert len(radios) == 2 and not any("checked" in r for r in radios)

    again = client.post(target, form_data(phone="090-1111-2222"))  # saved again without choosing
    assert Need.objects.count() == 1
    assert again.context["form"].errors["duplicate_decision"] == ["同じ世帯か別の世帯かを選んでください。"]
    assert "同じ世帯か別の世帯かを選んでください。" in again.content.decode().split('class="card dup-confirm"', 1)[1]

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.post(target, form_data(phone="090-1111-2222"))
    assert english.context["form"].errors["duplicate_decision"] == [
        "Choose whether this is the same household or a different one."]
