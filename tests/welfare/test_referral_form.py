"""「紹介」: to the council's own desk at any time; outside it only with the person's consent in force, or, on a
危機介入 case only, with the reason written; the page says beforehand which bodies have consent, and each referral
shows what it rested on and takes its outcome."""
import pytest

from ops.welfare import services
from ops.welfare.models import Agency, Referral
from tests import factories
from tests.welfare.conftest import field_block, page, url

pytestmark = pytest.mark.django_db


def test_a_referral_to_the_councils_own_desk_needs_no_consent(welfare_client, case, desk):
    response = welfare_client.post(url("refer", case), {"agency": desk.pk, "reason": "総合相談へ"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent is None and referral.urgent_reason == ""


def test_an_outside_body_without_consent_is_refused_on_a_watch_case(welfare_client, case, outside):
    response = welfare_client.post(url("refer", case), {"agency": outside.pk, "reason": "書きかけの紹介"})
    assert response.status_code == 400
    body = page(response)
    assert "中央地域包括支援センターへの情報提供について本人の同意が記録されていません。" in body
    assert "書きかけの紹介" in body
    assert not Referral.objects.exists()


def test_a_watch_case_is_not_asked_for_an_urgent_reason(welfare_client, case, outside):
    assert 'name="urgent_reason"' not in page(welfare_client.get(url("case", case)))
    response = welfare_client.post(url("refer", case), {"agency": outside.pk, "urgent_reason": "緊急"})
    assert response.status_code == 400 and not Referral.objects.exists()


def test_a_crisis_case_may_refer_without_consent_only_with_a_reason(welfare_client, case, outside, worker):
    services.update_case(case, by=worker, level="crisis")
    assert 'name="urgent_reason"' in page(welfare_client.get(url("case", case)))
    response = welfare_client.post(url("refer", case), {"agency": outside.pk, "reason": "", "urgent_reason": ""})
    assert response.status_code == 400
    assert "同意なしで紹介する理由（生命・身体への差し迫った危険）を記入してください。" in field_block(
        page(response), "urgent_reason")
    assert not Referral.objects.exists()
    response = welfare_client.post(url("refer", case), {"agency": outside.pk, "urgent_reason": "意識がもうろう"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent is None and referral.urgent_reason == "意識がもうろう"
    body = page(welfare_client.get(url("case", case)))
    assert "同意なしで紹介した理由" in body and "意識がもうろう" in body


def test_with_consent_the_referral_rests_on_it(welfare_client, case, outside, worker):
    consent = services.give_consent(case, by=worker, purpose="share", how="written", agency=outside)
    assert welfare_client.post(url("refer", case), {"agency": outside.pk, "reason": "介護保険の申請"}).status_code == 302
    assert Referral.objects.get().consent == consent
    assert "の同意による" in page(welfare_client.get(url("case", case)))


def test_the_page_tells_which_bodies_have_consent_before_sending(welfare_client, case, outside, desk, worker):
    without = Agency.objects.create(centre=case.centre, kind=Agency.Kind.HEALTH, name="保健センター北")
    services.give_consent(case, by=worker, purpose="share", how="written", agency=outside)
    body = page(welfare_client.get(url("case", case)))
    states = body[body.index('class="agency-state"'):]
    states = states[:states.index("</ul>")]
    line = {name: states[:states.index(name)].rsplit("<li>", 1)[1] for name in
            ("中央地域包括支援センター", "保健センター北", desk.name)}
    assert "同意あり" in line["中央地域包括支援センター"]
    assert "同意なし" in line["保健センター北"]
    assert "社協の内部" in line[desk.name]
    assert without.pk


def test_an_inactive_or_another_centres_body_is_refused(welfare_client, case, other_centre):
    retired = Agency.objects.create(centre=case.centre, kind="council", name="旧窓口", internal=True, active=False)
    theirs = Agency.objects.get(centre=other_centre, internal=True)
    for agency in (retired, theirs):
        assert welfare_client.post(url("refer", case), {"agency": agency.pk}).status_code == 400
    assert not Referral.objects.exists()


def test_the_outcome_of_a_referral_is_recorded(welfare_client, case, desk, worker):
    referral = services.refer(case, by=worker, agency=desk, reason="相談")
    prefix = f"r{referral.pk}"
    response = welfare_client.post(url("outcome", case, referral=referral.pk),
                                   {f"{prefix}-outcome": "accepted", f"{prefix}-note": "来週面談"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_note) == ("accepted", "来週面談")


def test_a_wrong_outcome_is_refused(welfare_client, case, desk, worker):
    referral = services.refer(case, by=worker, agency=desk)
    response = welfare_client.post(url("outcome", case, referral=referral.pk), {f"r{referral.pk}-outcome": "lost"})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.outcome == "pending"


def test_another_cases_referral_is_not_found(welfare_client, case, desk, worker, centre):
    other_need = factories.make_need(centre, requester_name="別世帯", phone="090-5555-0003", address="別町2")
    other, _new = services.open_case(need=other_need, source="staff", by=worker)
    referral = services.refer(other, by=worker, agency=desk)
    response = welfare_client.post(url("outcome", case, referral=referral.pk), {f"r{referral.pk}-outcome": "done"})
    assert response.status_code == 404
