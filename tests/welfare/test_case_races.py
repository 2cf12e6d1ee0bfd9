"""Casework at the same moment on real PostgreSQL (threads on their own connections, released together):
two staff flagging one household make one case and lose no note; a referral racing the withdrawal of the
consent it rests on is either made before the withdrawal or refused."""
import pytest
from django.db import connection

from ops.centres.models import Role
from ops.needs.services import flag_welfare
from ops.welfare.models import Agency, Case, Contact, Household, Referral
from ops.welfare.services import WelfareError, give_consent, open_case, refer, withdraw_consent
from tests import factories
from tests.conftest import run_together

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]
THREADS = 8


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row and advisory locks are exercised on PostgreSQL (make test)")


def test_staff_flagging_one_need_at_once_make_one_case_and_keep_every_note(centre):
    need = factories.make_need(centre)
    results, errors = run_together(THREADS, lambda i: flag_welfare(need, kind="watch", note=f"メモ{i}"))
    assert [e for e in errors if e is not None] == []
    assert Case.objects.count() == 1
    assert sorted(Contact.objects.values_list("found", flat=True)) == sorted(f"メモ{i}" for i in range(THREADS))


def test_needs_of_one_household_flagged_at_once_find_one_household(centre):
    needs = [factories.make_need(centre, phone="090-5555-0000", requester_name="同じ 世帯", address=f"{i}番地")
             for i in range(THREADS)]
    results, errors = run_together(THREADS, lambda i: open_case(need=needs[i], source="staff"))
    assert [e for e in errors if e is not None] == []
    assert Household.objects.count() == 1 and Case.objects.count() == 1
    assert Household.objects.get().needs.count() == THREADS


def test_a_referral_never_rests_on_a_consent_withdrawn_before_it(centre):
    staff = factories.make_user(Role.WELFARE, centre)
    agency = Agency.objects.create(centre=centre, kind="houkatsu", name="北地域包括支援センター")
    for _round in range(5):
        case, _ = open_case(need=factories.make_need(centre), source="staff", by=staff)
        consent = give_consent(case, by=staff, purpose="share", how="written", agency=agency)
        actions = [lambda: refer(case, by=staff, agency=agency, reason="介護保険の申請"),
                   lambda: withdraw_consent(consent, by=staff)]
        results, errors = run_together(2, lambda i: actions[i]())
        assert [e for e in errors if e is not None and not isinstance(e, WelfareError)] == []
        consent.refresh_from_db()
        assert consent.withdrawn_at is not None
        made = Referral.objects.filter(case=case)
        if made.exists():
            assert made.get().created_at < consent.withdrawn_at
        else:
            assert "同意が記録されていません" in errors[0].message
