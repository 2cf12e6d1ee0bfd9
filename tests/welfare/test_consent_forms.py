"""「情報提供の同意」: a consent is recorded (purpose, body, how, who, when) and withdrawn with its own button;
a withdrawn consent no longer lets a referral through."""
from datetime import timedelta

import pytest

from ops.welfare import services
from ops.welfare.models import Consent, Referral
from tests.welfare.conftest import page, url

pytestmark = pytest.mark.django_db


def form(case, agency=None, **over):
    data = {"purpose": "share", "agency": agency.pk if agency else "", "how": "written", "given_by": "person",
            "given_on": case.centre.today().isoformat()}
    data.update(over)
    return data


def test_a_consent_to_share_is_recorded(welfare_client, case, outside, worker):
    response = welfare_client.post(url("consent", case), form(case, outside))
    assert response.status_code == 302
    consent = Consent.objects.get(case=case)
    assert (consent.purpose, consent.agency, consent.how, consent.recorded_by) == ("share", outside, "written", worker)
    body = page(welfare_client.get(url("case", case)))
    assert "中央地域包括支援センター" in body and "同意の撤回を記録する" in body


def test_a_consent_to_hand_over_names_no_body(welfare_client, case):
    assert welfare_client.post(url("consent", case), form(case, purpose="handover")).status_code == 302
    assert case.handover_consent() is not None


def test_sharing_without_a_body_is_refused(welfare_client, case):
    response = welfare_client.post(url("consent", case), form(case))
    assert response.status_code == 400
    assert "情報を提供する紹介先を選んでください。" in page(response)
    assert not Consent.objects.exists()


def test_a_consent_dated_in_the_future_is_refused(welfare_client, case, outside):
    tomorrow = (case.centre.today() + timedelta(days=1)).isoformat()
    response = welfare_client.post(url("consent", case), form(case, outside, given_on=tomorrow))
    assert response.status_code == 400
    assert "同意日に未来の日付は入れられません。" in page(response)
    assert not Consent.objects.exists()


def test_withdrawing_stops_the_next_referral(welfare_client, case, outside, worker):
    consent = services.give_consent(case, by=worker, purpose="share", how="verbal", agency=outside)
    assert welfare_client.post(url("refer", case), {"agency": outside.pk, "reason": "初回"}).status_code == 302
    response = welfare_client.post(url("withdraw", case, consent=consent.pk))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == worker
    response = welfare_client.post(url("refer", case), {"agency": outside.pk, "reason": "二回目"})
    assert response.status_code == 400
    assert "同意が記録されていません" in page(response)
    assert list(Referral.objects.values_list("reason", flat=True)) == ["初回"]
    body = page(welfare_client.get(url("case", case)))
    assert "撤回済み" in body and "その後撤回" in body  # the past referral keeps its consent, marked withdrawn


def test_withdrawing_twice_is_refused(welfare_client, case, outside, worker):
    consent = services.give_consent(case, by=worker, purpose="share", how="verbal", agency=outside)
    services.withdraw_consent(consent, by=worker)
    response = welfare_client.post(url("withdraw", case, consent=consent.pk))
    assert response.status_code == 400
    assert "この同意はすでに撤回されています。" in page(response)


def test_another_cases_consent_is_not_found(welfare_client, case, outside, worker, centre):
    from tests import factories

    other_need = factories.make_need(centre, requester_name="別世帯", phone="090-5555-0002", address="別町1")
    other, _new = services.open_case(need=other_need, source="staff", by=worker)
    consent = services.give_consent(other, by=worker, purpose="share", how="verbal", agency=outside)
    assert welfare_client.post(url("withdraw", case, consent=consent.pk)).status_code == 404
    consent.refresh_from_db()
    assert consent.in_force
