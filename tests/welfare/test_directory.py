"""The directory page: the centre's bodies (add, edit, stop using) and categories (add with a code unique in
the centre, stop and resume using). Welfare staff and administrators edit it."""
import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.welfare.models import Agency, Category

pytestmark = pytest.mark.django_db


def at(centre, name, **kw):
    return reverse(f"welfare:{name}", kwargs={"centre": centre.slug, **kw})


AGENCY = {"kind": "minsei", "name": "北地区 民生委員", "area": "北町", "phone": "026-111-2222",
          "contact_person": "北 太郎", "active": "on"}


def test_the_page_lists_bodies_and_categories(welfare_client, centre, outside):
    body = welfare_client.get(at(centre, "directory")).content.decode()
    assert "中央地域包括支援センター" in body and "総合相談" in body and "独居高齢" in body


def test_a_body_is_added(welfare_client, centre):
    response = welfare_client.post(at(centre, "agency_add"), AGENCY)
    assert response.status_code == 302
    agency = Agency.objects.get(centre=centre, name="北地区 民生委員")
    assert (agency.kind, agency.phone, agency.internal, agency.active) == ("minsei", "026-111-2222", False, True)


def test_a_body_without_a_name_is_refused(welfare_client, centre):
    before = Agency.objects.count()
    response = welfare_client.post(at(centre, "agency_add"), {**AGENCY, "name": "", "area": "書きかけ地区"})
    assert response.status_code == 400
    assert "書きかけ地区" in response.content.decode()
    assert Agency.objects.count() == before


def test_a_body_is_edited_and_set_out_of_use(welfare_client, centre, outside):
    assert welfare_client.get(at(centre, "agency", pk=outside.pk)).status_code == 200
    response = welfare_client.post(at(centre, "agency", pk=outside.pk), {
        "kind": "houkatsu", "name": "中央包括", "phone": "026-333-4444", "takes_handover": "on"})
    assert response.status_code == 302
    outside.refresh_from_db()
    assert (outside.name, outside.phone, outside.takes_handover, outside.active) == (
        "中央包括", "026-333-4444", True, False)


def test_another_centres_body_is_not_found(welfare_client, centre, other_centre):
    theirs = Agency.objects.get(centre=other_centre)
    assert welfare_client.get(at(centre, "agency", pk=theirs.pk)).status_code == 404
    assert welfare_client.post(at(centre, "agency", pk=theirs.pk), AGENCY).status_code == 404
    assert Agency.objects.get(pk=theirs.pk).name == "総合相談"


def test_a_category_is_added(welfare_client, centre):
    response = welfare_client.post(at(centre, "category_add"), {"code": "pets", "name": "ペットの世話"})
    assert response.status_code == 302
    assert Category.objects.get(centre=centre, code="pets").name == "ペットの世話"


def test_a_category_code_is_unique_in_the_centre(welfare_client, centre, other_centre):
    before = Category.objects.filter(centre=centre).count()
    response = welfare_client.post(at(centre, "category_add"), {"code": "poverty", "name": "もう一つの困窮"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "コード「poverty」はすでに使われています。" in body and "もう一つの困窮" in body
    assert Category.objects.filter(centre=centre).count() == before
    # another centre's codes are its own
    assert Category.objects.filter(centre=other_centre, code="poverty").exists()


def test_a_category_code_must_be_a_code(welfare_client, centre):
    response = welfare_client.post(at(centre, "category_add"), {"code": "a b/c", "name": "空白入り"})
    assert response.status_code == 400
    assert not Category.objects.filter(name="空白入り").exists()


def test_a_category_is_stopped_and_resumed(welfare_client, centre):
    category = Category.objects.get(centre=centre, code="8050")
    assert welfare_client.post(at(centre, "category_active", pk=category.pk), {}).status_code == 302
    category.refresh_from_db()
    assert not category.active
    assert welfare_client.post(at(centre, "category_active", pk=category.pk), {"active": "1"}).status_code == 302
    category.refresh_from_db()
    assert category.active


def test_another_centres_category_is_not_found(welfare_client, centre, other_centre):
    theirs = Category.objects.filter(centre=other_centre).first()
    assert welfare_client.post(at(centre, "category_active", pk=theirs.pk), {}).status_code == 404
    assert Category.objects.get(pk=theirs.pk).active


def test_an_administrator_edits_the_directory(client_as, centre):
    assert client_as(Role.ADMIN).post(at(centre, "agency_add"), AGENCY).status_code == 302


@pytest.mark.parametrize("role", [Role.INTAKE, Role.COORDINATOR, Role.VIEWER])
def test_other_roles_may_not_edit_the_directory(client_as, centre, role):
    client = client_as(role)
    assert client.get(at(centre, "directory")).status_code == 403
    assert client.post(at(centre, "agency_add"), AGENCY).status_code == 403
    assert client.post(at(centre, "category_add"), {"code": "x", "name": "x"}).status_code == 403
    assert not Agency.objects.filter(name=AGENCY["name"]).exists()
    assert not Category.objects.filter(code="x").exists()
