"""The season's casework, made by the welfare services: the demo shows assigned, categorised cases with a
contact log, an overdue check, a referral to 地域包括支援センター on the person's consent, a handover consent
and a closed case."""
import pytest

from ops.welfare.models import Agency, Case, Consent, Contact, Referral

pytestmark = [pytest.mark.django_db, pytest.mark.pg]


def test_the_season_leaves_real_casework(season):
    centre, worker = season.centre, season.staff["welfare"]
    cases = Case.objects.filter(centre=centre)
    assert set(Agency.objects.filter(centre=centre).values_list("kind", flat=True)) >= {
        "houkatsu", "minsei", "health", "sasaeai", "council"}
    assert Agency.objects.get(centre=centre, kind="sasaeai").takes_handover
    assigned = cases.filter(assignee=worker)
    assert assigned.count() >= 3
    assert {"8050", "elderly_alone"} <= set(assigned.values_list("categories__code", flat=True))
    assert Contact.objects.filter(case__centre=centre, method="visit", next_check_on__isnull=False).exists()
    assert cases.overdue(centre.today()).exists()
    referral = Referral.objects.get(case__centre=centre, agency__kind="houkatsu")
    assert referral.consent is not None and referral.consent.purpose == "share"
    handed = cases.kept_past_retention()
    assert handed.count() == 1 and handed.get() == referral.case
    assert Consent.objects.filter(case__centre=centre, purpose="handover").count() == 1
    assert cases.filter(status="closed", close_note__startswith="家族が同居").count() == 1
