"""危機介入 / 見守り set on a need (intake, survey, the need's page) open the household's case; the case stays on
the welfare staff's list after the mud work is completed, until they close it."""
import pytest
from django.core import mail
from django.urls import reverse

from ops.centres.models import Role
from ops.needs.services import flag_welfare
from ops.welfare.models import Case
from ops.welfare.services import close_case
from tests import factories

pytestmark = pytest.mark.django_db


def cases_url(centre):
    return reverse("welfare:cases", kwargs={"centre": centre.slug})


def flag_url(centre, need):
    return reverse("needs:welfare_flag", kwargs={"centre": centre.slug, "pk": need.pk})


def test_the_case_list_is_for_welfare_staff_only(client_as, centre):
    assert client_as(Role.WELFARE).get(cases_url(centre)).status_code == 200
    assert client_as(Role.ADMIN).get(cases_url(centre)).status_code == 200
    for role in (Role.INTAKE, Role.COORDINATOR, Role.VIEWER, Role.LEADER, Role.RECEPTION):
        assert client_as(role).get(cases_url(centre)).status_code == 403, role


def test_flagged_needs_stay_on_the_list_after_completion(client_as, centre):
    watched = factories.make_need(centre, status="completed", requester_name="見守り 一子")
    flag_welfare(watched, kind="watch", note="独居")
    factories.make_need(centre, status="completed", requester_name="対象外 二郎")
    body = client_as(Role.WELFARE).get(cases_url(centre)).content.decode()
    assert "見守り 一子" in body and Case.objects.get().label in body
    assert "対象外 二郎" not in body


def test_flag_from_the_need_page_by_welfare_staff_alerts_on_crisis(client_as, centre,
                                                                    django_capture_on_commit_callbacks, eager):
    factories.make_user(Role.ADMIN, centre, email="head@example.jp")
    need = factories.make_need(centre)
    client = client_as(Role.WELFARE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(flag_url(centre, need), {"kind": "crisis", "note": "連絡が取れない"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.welfare == "crisis"
    case = Case.objects.of_need(need).get()
    assert (case.opened_by, case.source, case.level) == (client.user, "staff", "crisis")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["head@example.jp"]


def test_raising_an_open_watch_case_to_crisis_alerts_once(centre, django_capture_on_commit_callbacks, eager):
    factories.make_user(Role.ADMIN, centre, email="head@example.jp")
    need = factories.make_need(centre)
    with django_capture_on_commit_callbacks(execute=True):
        flag_welfare(need, kind="watch")
        flag_welfare(need, kind="crisis")
        flag_welfare(need, kind="crisis", note="再訪問で確認")
    case = Case.objects.get()
    assert (case.level, case.priority) == ("crisis", Case.Priority.URGENT)
    assert len(mail.outbox) == 1


def test_saving_the_same_flag_again_is_not_a_second_case(centre):
    need = factories.make_need(centre)
    flag_welfare(need, kind="watch")
    flag_welfare(need, kind="watch")
    assert Case.objects.count() == 1


def test_two_needs_of_one_household_share_its_case(centre):
    first = factories.make_need(centre, phone="090-1111-2222", requester_name="同じ 世帯")
    second = factories.make_need(centre, phone="09011112222", requester_name="同じ 世帯", address="別の番地")
    flag_welfare(first, kind="watch")
    flag_welfare(second, kind="watch", note="二件目の依頼")
    case = Case.objects.get()
    assert set(case.household.needs.all()) == {first, second}
    assert [c.found for c in case.contacts.all()] == ["二件目の依頼"]


def test_a_closed_case_leaves_the_open_list_and_a_new_flag_opens_a_new_case(client_as, centre):
    need = factories.make_need(centre)
    first = flag_welfare(need, kind="watch")
    client = client_as(Role.WELFARE)
    close_case(first, by=client.user, note="生活再建のめどが立った")
    assert client.get(cases_url(centre)).context["page"].paginator.count == 0
    assert client.get(cases_url(centre), {"status": "closed"}).context["page"].paginator.count == 1
    second = flag_welfare(need, kind="watch")
    assert second.pk != first.pk and second.household_id == first.household_id


def test_viewer_cannot_flag(client_as, centre):
    need = factories.make_need(centre)
    assert client_as(Role.VIEWER).post(flag_url(centre, need), {"kind": "watch"}).status_code == 403


def test_a_note_typed_with_the_same_category_is_added_to_the_open_case(client_as, centre):
    """A note typed on the need's page is never dropped: it is a dated line of the case's log, by its writer."""
    need = factories.make_need(centre)
    flag_welfare(need, kind="watch", note="独居の高齢者")
    client = client_as(Role.WELFARE)
    client.user.first_name = "福祉太郎"
    client.user.save()
    response = client.post(flag_url(centre, need), {"kind": "watch", "note": "7/3 電話で安否確認、変わりなし"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert [c.found for c in case.contacts.order_by("pk")] == ["独居の高齢者", "7/3 電話で安否確認、変わりなし"]
    page = client.get(reverse("welfare:case", kwargs={"centre": centre.slug, "pk": case.pk})).content.decode()
    assert "7/3 電話で安否確認、変わりなし" in page and "福祉太郎" in page
    assert f"{centre.today():%-m/%-d}" in page  # dated


def test_a_note_with_nothing_to_attach_it_to_is_refused_and_kept_on_the_page(client_as, centre):
    need = factories.make_need(centre)
    response = client_as(Role.WELFARE).post(flag_url(centre, need), {"kind": "none", "note": "近所の方が見守り"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "近所の方が見守り" in page  # still in the box, with the reason next to it
    assert "区分を選んでください" in page
    assert not Case.objects.exists()


def test_the_coordinator_sees_only_that_the_household_has_a_case(client_as, centre):
    need = factories.make_need(centre)
    flag_welfare(need, kind="watch", note="息子と二人暮らし、息子がひきこもり")
    page = client_as(Role.COORDINATOR).get(reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk}))
    text = page.content.decode()
    assert "福祉ケースがあります" in text
    assert "ひきこもり" not in text and "W-0001" not in text
    welfare_page = client_as(Role.WELFARE).get(reverse("needs:detail", kwargs={"centre": centre.slug,
                                                                               "pk": need.pk})).content.decode()
    assert "W-0001" in welfare_page


def test_once_the_case_is_closed_the_coordinator_is_no_longer_told_of_it(client_as, centre):
    need = factories.make_need(centre)
    case = flag_welfare(need, kind="watch")
    coordinator = client_as(Role.COORDINATOR)
    url = reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk})
    assert "福祉ケースがあります" in coordinator.get(url).content.decode()
    close_case(case, by=client_as(Role.WELFARE).user, note="見守り終了")
    assert "福祉ケースがあります" not in coordinator.get(url).content.decode()


def test_one_phone_for_two_homes_is_two_households(centre):
    """A son calling for his mother and for his aunt gives his number for both: two households, two cases."""
    mother = factories.make_need(centre, phone="090-7777-1111", requester_name="山田 ハル", address="北町1-1",
                                 requester_type="relative")
    aunt = factories.make_need(centre, phone="090-7777-1111", requester_name="木村 ナツ", address="南町9-9",
                               requester_type="relative")
    flag_welfare(mother, kind="watch")
    flag_welfare(aunt, kind="watch")
    assert Case.objects.count() == 2
    assert Case.objects.of_need(mother).get().household != Case.objects.of_need(aunt).get().household
