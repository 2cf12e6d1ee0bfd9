"""危機介入 / 見守り: welfare staff's list, which keeps cases after the mud work is completed."""
import pytest
from django.core import mail
from django.urls import reverse

from ops.centres.models import Role
from ops.needs.models import Referral
from ops.needs.services import flag_welfare
from tests import factories

pytestmark = pytest.mark.django_db


def welfare_url(centre):
    return reverse("needs:welfare", kwargs={"centre": centre.slug})


def test_welfare_list_is_for_welfare_staff_only(client_as, centre):
    assert client_as(Role.WELFARE).get(welfare_url(centre)).status_code == 200
    assert client_as(Role.INTAKE).get(welfare_url(centre)).status_code == 403
    assert client_as(Role.VIEWER).get(welfare_url(centre)).status_code == 403


def test_flagged_needs_stay_on_the_list_after_completion(client_as, centre):
    watched = factories.make_need(centre, status="completed", requester_name="見守り 一子")
    flag_welfare(watched, kind="watch", note="独居")
    factories.make_need(centre, status="completed", requester_name="対象外 二郎")
    body = client_as(Role.WELFARE).get(welfare_url(centre)).content.decode()
    assert "見守り 一子" in body and watched.label in body
    assert "対象外 二郎" not in body


def test_flag_from_the_need_page_by_welfare_staff_alerts_on_crisis(client_as, centre,
                                                                    django_capture_on_commit_callbacks, eager):
    factories.make_user(Role.ADMIN, centre, email="head@example.jp")
    need = factories.make_need(centre)
    client = client_as(Role.WELFARE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("needs:welfare_flag", kwargs={"centre": centre.slug, "pk": need.pk}),
                               {"kind": "crisis", "note": "連絡が取れない"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.welfare == "crisis"
    assert Referral.objects.get(need=need).created_by == client.user
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["head@example.jp"]


def test_saving_the_same_flag_again_is_not_a_second_referral(centre):
    need = factories.make_need(centre)
    flag_welfare(need, kind="watch")
    flag_welfare(need, kind="watch")
    assert need.referrals.count() == 1


def test_viewer_cannot_flag(client_as, centre):
    need = factories.make_need(centre)
    response = client_as(Role.VIEWER).post(
        reverse("needs:welfare_flag", kwargs={"centre": centre.slug, "pk": need.pk}), {"kind": "watch"})
    assert response.status_code == 403


def test_welfare_staff_close_a_referral_and_the_open_filter_drops_it(client_as, centre):
    need = factories.make_need(centre)
    referral = flag_welfare(need, kind="watch")
    client = client_as(Role.WELFARE)
    client.post(reverse("needs:referral_close", kwargs={"centre": centre.slug, "pk": referral.pk}),
                {"next": "list"})
    referral.refresh_from_db()
    assert referral.closed_at is not None
    assert client.get(welfare_url(centre), {"open": "1"}).context["page"].paginator.count == 0
    assert client.get(welfare_url(centre)).context["page"].paginator.count == 1


def flag_url(centre, need):
    return reverse("needs:welfare_flag", kwargs={"centre": centre.slug, "pk": need.pk})


def test_a_note_typed_with_the_same_category_is_added_to_the_open_referral(client_as, centre):
    """Welfare staff follow a case up by typing a note and saving with the category unchanged."""
    need = factories.make_need(centre)
    flag_welfare(need, kind="watch", note="独居の高齢者")
    client = client_as(Role.WELFARE)
    client.user.first_name = "福祉太郎"
    client.user.save()
    response = client.post(flag_url(centre, need), {"kind": "watch", "note": "7/3 電話で安否確認、変わりなし"},
                           follow=True)
    referral = Referral.objects.get(need=need)
    assert "独居の高齢者" in referral.note and "7/3 電話で安否確認、変わりなし" in referral.note
    page = response.content.decode()
    assert "7/3 電話で安否確認、変わりなし" in page and "福祉太郎" in page
    assert centre.today().strftime("%Y/%m/%d") in page  # dated


def test_a_note_with_nothing_to_attach_it_to_is_refused_and_kept_on_the_page(client_as, centre):
    need = factories.make_need(centre)
    response = client_as(Role.WELFARE).post(flag_url(centre, need), {"kind": "none", "note": "近所の方が見守り"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "近所の方が見守り" in page  # still in the box, with the reason next to it
    assert "区分を選んでください" in page
    assert not Referral.objects.exists()
