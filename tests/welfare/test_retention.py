"""Retention at a closed centre (erase_personal_data): a welfare case outlives the erasure only while it is still
followed and the person's consent to the handover is in force; its household stays with it. Every other case
and household is erased like the needs, and the needs' own personal data goes in every case."""
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from ops.centres.models import AuditEntry, Centre, Role
from ops.needs.models import Need
from ops.privacy import ERASED, FIELDS, NOT_PERSONAL
from ops.welfare import services
from ops.welfare.models import Agency, Case, Consent, Contact, Household, Referral
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    """A centre closed 200 days ago (past a 90-day retention) and its welfare staff member."""
    centre = factories.make_centre()
    worker = factories.make_user(Role.WELFARE, centre)
    Centre.objects.filter(pk=centre.pk).update(status=Centre.Status.CLOSED,
                                               closed_on=timezone.localdate() - timedelta(days=200))
    centre.refresh_from_db()
    return centre, worker


_n = iter(range(1, 1000))


def casework(centre, worker, *, handover=False, need=None):
    """A case on a new household (or the need's), with a summary, a contact, a share consent and a referral."""
    n = next(_n)
    need = need or factories.make_need(centre, requester_name=f"世帯 {n}号", requester_kana=f"セタイ {n}",
                                       phone=f"090-0000-{n:04d}", address=f"テスト市北町{n}-1", district="北町",
                                       description="母と二人暮らし")
    case, _opened = services.open_case(need=need, source="staff", by=worker, summary=f"概要 {n}")
    services.add_contact(case, by=worker, method="visit", with_whom=["person"], found=f"把握 {n}",
                         agreed=f"合意 {n}")
    agency = Agency.objects.create(centre=centre, kind=Agency.Kind.COMPREHENSIVE, name=f"包括 {n}")
    services.give_consent(case, by=worker, purpose="share", how="written", agency=agency)
    services.refer(case, by=worker, agency=agency, reason=f"紹介 {n}")
    referral = case.referrals.get()
    services.record_outcome(referral, by=worker, outcome="accepted", note=f"結果 {n}")
    if handover:
        services.give_consent(case, by=worker, purpose="handover", how="verbal")
    return Case.objects.get(pk=case.pk)


def words(case):
    case = Case.objects.select_related("household").get(pk=case.pk)
    h = case.household
    return {
        "household": (h.name, h.kana, h.phone, h.address, h.phone_key, h.name_key, h.address_key),
        "case": (case.summary, case.close_note),
        "contacts": sorted(Contact.objects.filter(case=case).values_list("found", "agreed", "with_whom")),
        "referrals": sorted(Referral.objects.filter(case=case).values_list("reason", "urgent_reason", "outcome_note")),
    }


def erase(**kw):
    out = StringIO()
    call_command("erase_personal_data", days=90, stdout=out, **kw)
    return out.getvalue()


def assert_erased(case):
    got = words(case)
    assert got["household"] == (ERASED, "", "", "北町", "", "", "")
    assert got["case"] == ("", "")
    assert all(row == ("", "", []) for row in got["contacts"]) and got["contacts"]
    assert all(row == ("", "", "") for row in got["referrals"]) and got["referrals"]
    case.refresh_from_db()
    assert case.personal_data_erased_at is not None
    assert Household.objects.get(pk=case.household_id).personal_data_erased_at is not None


def test_a_case_with_the_handover_consent_keeps_its_household_and_words(closed):
    centre, worker = closed
    case = casework(centre, worker, handover=True)
    before = words(case)
    erase()
    assert words(case) == before
    case.refresh_from_db()
    assert case.personal_data_erased_at is None and case.status == Case.Status.OPEN
    assert Household.objects.get(pk=case.household_id).personal_data_erased_at is None


def test_a_case_without_the_handover_consent_is_erased(closed):
    centre, worker = closed
    case = casework(centre, worker)
    erase()
    assert_erased(case)
    # what the case was stays countable: its number, level, categories and dates
    case.refresh_from_db()
    assert (case.number, case.level, case.status) == (1, Case.Level.WATCH, Case.Status.OPEN)
    assert AuditEntry.objects.filter(action="erase_personal", object_type="welfare.case",
                                     object_id=str(case.pk)).exists()


def test_a_withdrawn_handover_consent_no_longer_keeps_the_case(closed):
    centre, worker = closed
    case = casework(centre, worker, handover=True)
    services.withdraw_consent(case.handover_consent(), by=worker)
    erase()
    assert_erased(case)


def test_a_closed_case_is_erased_even_with_the_handover_consent(closed):
    """Nothing is handed over for a case the staff closed: the consent was for carrying it on."""
    centre, worker = closed
    case = casework(centre, worker, handover=True)
    services.close_case(case, by=worker, note="生活再建")
    erase()
    assert_erased(case)


def test_a_household_with_one_kept_case_is_kept(closed):
    centre, worker = closed
    first = casework(centre, worker)
    services.close_case(first, by=worker, note="一度終了")
    need = first.household.needs.get()
    second = casework(centre, worker, handover=True, need=need)
    assert second.household_id == first.household_id and second.pk != first.pk
    before = words(second)
    erase()
    assert words(second) == before  # the household's contact stays for the kept case
    first.refresh_from_db()
    assert (first.summary, first.close_note, first.personal_data_erased_at is not None) == ("", "", True)
    assert set(Contact.objects.filter(case=first).values_list("found", flat=True)) == {""}


def test_the_needs_personal_data_goes_whatever_happens_to_the_case(closed):
    centre, worker = closed
    kept, erased = casework(centre, worker, handover=True), casework(centre, worker)
    erase()
    for case in (kept, erased):
        need = Need.objects.get(welfare_households__cases=case)
        assert (need.requester_name, need.phone, need.description) == (ERASED, "", "")
        assert need.personal_data_erased_at is not None


def test_a_second_run_changes_nothing(closed):
    centre, worker = closed
    cases = [casework(centre, worker, handover=True), casework(centre, worker)]
    erase()
    after = [words(c) for c in cases]
    entries = AuditEntry.objects.count()
    second = erase()
    assert [words(c) for c in cases] == after
    assert AuditEntry.objects.count() == entries
    assert "'needs': 0" in second and "'cases': 0" in second and "'cases_kept': 1" in second


def test_the_dry_run_counts_and_changes_nothing(closed):
    centre, worker = closed
    kept = casework(centre, worker, handover=True)
    withdrawn = casework(centre, worker, handover=True)
    services.withdraw_consent(withdrawn.handover_consent(), by=worker)
    plain = casework(centre, worker)
    before = [words(c) for c in (kept, withdrawn, plain)]
    out = erase(dry_run=True)
    counts = {k: int(v) for k, v in re.findall(r"'(\w+)': (\d+)", out)}
    assert out.startswith("would anonymise")
    assert (counts["cases"], counts["cases_kept"], counts["needs"]) == (2, 1, 3)
    assert [words(c) for c in (kept, withdrawn, plain)] == before


def test_the_registry_covers_every_personal_field_of_the_casework():
    """Every text a case, its household, contacts, consents and referrals hold (free text, JSON, a contact's
    words) is in the registry, or named operational; the tests above check retention overwrites it."""
    operational = {"welfare.Household.district"}  # kept, as a need's district is (the reports' area)
    missing = []
    for model in (Household, Case, Contact, Consent, Referral):
        listed = FIELDS.get(model._meta.label, {})
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.is_relation or field.choices:
                continue
            if not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                continue
            full = f"{model._meta.label}.{field.name}"
            if field.name not in listed and full not in NOT_PERSONAL and full not in operational:
                missing.append(full)
    assert missing == []
    for label in ("welfare.Contact", "welfare.Referral", "welfare.Household"):
        for name, rule in FIELDS[label].items():
            assert rule.kind == "casework", (label, name)
