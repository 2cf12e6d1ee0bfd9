"""「福祉ケースを開く」on the need's page: a welfare staff member opens the household's case by their own judgement
(source staff); a household with an open case is led to it; other roles see no button and are refused."""
import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.welfare import services
from ops.welfare.models import Case
from tests import factories

pytestmark = pytest.mark.django_db


def open_url(centre, need):
    return reverse("welfare:open", kwargs={"centre": centre.slug, "need": need.pk})


def detail(centre, need):
    return reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk})


def test_the_button_is_on_the_need_page_for_welfare_staff_when_no_case_is_open(client_as, centre):
    need = factories.make_need(centre)
    body = client_as(Role.WELFARE).get(detail(centre, need)).content.decode()
    assert "福祉ケースを開く" in body and open_url(centre, need) in body
    assert "福祉ケースを開く" not in client_as(Role.COORDINATOR).get(detail(centre, need)).content.decode()


def test_opening_a_case_by_own_judgement(client_as, centre):
    need = factories.make_need(centre)
    client = client_as(Role.WELFARE)
    response = client.post(open_url(centre, need))
    case = Case.objects.of_need(need).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("welfare:case", kwargs={"centre": centre.slug, "pk": case.pk})
    assert (case.source, case.opened_by, case.status) == ("staff", client.user, "open")
    assert "福祉ケースを開く" not in client.get(detail(centre, need)).content.decode()


def test_a_household_with_an_open_case_is_led_to_it(client_as, centre):
    need = factories.make_need(centre)
    client = client_as(Role.WELFARE)
    case, _new = services.open_case(need=need, source="intake")
    response = client.post(open_url(centre, need))
    assert response.status_code == 302 and str(case.pk) in response["Location"]
    assert Case.objects.count() == 1


def test_a_closed_case_lets_a_new_one_open(client_as, centre):
    need = factories.make_need(centre)
    client = client_as(Role.WELFARE)
    case, _new = services.open_case(need=need, source="intake")
    services.close_case(case, by=None, note="終了")
    assert "福祉ケースを開く" in client.get(detail(centre, need)).content.decode()
    client.post(open_url(centre, need))
    assert Case.objects.open().of_need(need).count() == 1 and Case.objects.count() == 2


@pytest.mark.parametrize("role", [Role.INTAKE, Role.COORDINATOR, Role.VIEWER])
def test_other_roles_may_not_open_a_case(client_as, centre, role):
    need = factories.make_need(centre)
    assert client_as(role).post(open_url(centre, need)).status_code == 403
    assert not Case.objects.exists()


def test_another_centres_need_is_not_found(client_as, centre, other_centre):
    theirs = factories.make_need(other_centre)
    assert client_as(Role.WELFARE).post(open_url(centre, theirs)).status_code == 404
    assert not Case.objects.exists()
