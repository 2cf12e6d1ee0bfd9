"""The resident's private status page and 三者連携: which organisation does the specialist work and when (its
name and the date only), or that the work is still being arranged; never a person's name or phone, a job's
notes, or anything of a declined or withdrawn job but that the work is still being arranged."""
from datetime import timedelta

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.partners import services
from tests import factories
from tests.partners import conftest_boards as boards
from tests.partners.conftest_boards import JOB_NOTE, ORG_CONTACT, ORG_PHONE, make_org, offer_tarp, tarp_need

pytestmark = pytest.mark.django_db
centre = boards.centre  # the fixture
ARRANGING = "専門の作業は、引き続き対応先を調整しています。"
PRIVATE = (JOB_NOTE, ORG_PHONE, ORG_CONTACT, "roof@example.org", "鍵は代表が保管", "午前中", "人手不足の理由ZZ",
           "完了メモZZ", "取下げ理由ZZ")


@pytest.fixture
def staff(centre):
    return factories.make_user(Role.COORDINATOR, centre, first_name="調整", last_name="職員名ZZ")


def page(client, need, language="ja") -> str:
    response = client.get(reverse("needs:resident", kwargs={"token": need.reference_token}),
                          HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def private_free(text, staff):
    for private in (*PRIVATE, staff.last_name, staff.username):
        assert private not in text


def test_a_need_without_partner_work_says_nothing_of_it(client, centre):
    assert "専門の団体" not in page(client, tarp_need(centre))


def test_an_organisation_that_accepted_is_named_as_coming(client, centre, staff):
    need = tarp_need(centre)
    services.accept(offer_tarp(need, make_org(centre), staff), by=staff)
    text = page(client, need)
    assert "屋根のブルーシート張り: NPO 屋根班が対応します" in text and ARRANGING not in text
    private_free(text, staff)


def test_a_scheduled_job_gives_the_date(client, centre, staff):
    need = tarp_need(centre)
    job = services.accept(offer_tarp(need, make_org(centre), staff), by=staff)
    on = centre.today() + timedelta(days=2)
    services.schedule(job, by=staff, on=on, note="午前中")
    text = page(client, need)
    assert f"NPO 屋根班が対応します（対応予定日 {on.month}/{on.day}）" in text
    private_free(text, staff)


def test_done_work_reads_as_done(client, centre, staff):
    need = tarp_need(centre, work_types=["tarp", "mud"])
    job = services.accept(offer_tarp(need, make_org(centre), staff), by=staff)
    services.complete(job, by=staff, outcome="done", note="完了メモZZ")
    text = page(client, need)
    assert "NPO 屋根班が対応しました（対応済）" in text and ARRANGING not in text
    private_free(text, staff)


def test_an_offer_not_yet_answered_names_no_one(client, centre, staff):
    """Asked is not promised: the organisation is named once it has accepted."""
    need = tarp_need(centre)
    offer_tarp(need, make_org(centre), staff)
    text = page(client, need)
    assert ARRANGING in text and "NPO 屋根班" not in text


def test_a_declined_or_withdrawn_job_only_says_the_work_is_being_arranged(client, centre, staff):
    need = tarp_need(centre)
    services.decline(offer_tarp(need, make_org(centre), staff), by=staff, reason="人手不足の理由ZZ")
    services.withdraw(offer_tarp(need, make_org(centre, "屋根の会"), staff), by=staff, reason="取下げ理由ZZ")
    text = page(client, need)
    assert ARRANGING in text
    for word in ("NPO 屋根班", "屋根の会", "辞退", "取下げ理由"):
        assert word not in text
    private_free(text, staff)


def test_another_organisation_taking_the_work_after_a_decline_is_named_alone(client, centre, staff):
    need = tarp_need(centre)
    services.decline(offer_tarp(need, make_org(centre), staff), by=staff, reason="人手不足の理由ZZ")
    services.accept(offer_tarp(need, make_org(centre, "屋根の会"), staff), by=staff)
    text = page(client, need)
    assert "屋根の会が対応します" in text and "NPO 屋根班" not in text and ARRANGING not in text


def test_partly_done_work_names_the_organisation_and_says_the_rest_is_being_arranged(client, centre, staff):
    need = tarp_need(centre)
    job = services.accept(offer_tarp(need, make_org(centre), staff), by=staff)
    services.complete(job, by=staff, outcome="partly", note="完了メモZZ")
    text = page(client, need)
    assert "NPO 屋根班が一部を対応しました" in text and ARRANGING in text
    private_free(text, staff)


def test_the_page_speaks_english_when_asked(client, centre, staff):
    need = tarp_need(centre)
    job = services.accept(offer_tarp(need, make_org(centre), staff), by=staff)
    on = centre.today() + timedelta(days=2)
    services.schedule(job, by=staff, on=on)
    text = page(client, need, "en")
    assert "Work by specialist organisations" in text
    assert f"NPO 屋根班 will do it (planned for {on.month}/{on.day})" in text
    assert "が対応します" not in text
