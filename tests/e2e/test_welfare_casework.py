"""From a team's concern to a referral with consent, in chromium against the real stack:

the leader files the return report on the phone with 「気になったこと」 ticked; the welfare worker finds the new case
on the welfare list (the team's words in its log), takes it on (categories, assignee, priority), logs a home
visit with the next check date, is refused a referral to the 地域包括支援センター without the person's consent,
records the consent and then refers; the coordinator's page of the same need says only that a case exists.
Screenshots at 360 px (the welfare worker's phone) go to the screenshot folder."""
import pytest

from ops.centres.models import Role
from ops.welfare.models import Agency, Case, Consent, Referral
from tests.e2e.conftest import PHONE, login, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TEAM_NOTE = "Lives alone, no food in the fridge, said nobody visits"
VISIT_FOUND = "Son (52) lives upstairs, rarely goes out; mother (81) skips her medicine"


def test_a_teams_concern_becomes_a_case_referred_with_consent(new_page, busy_centre, screenshot_dir):
    centre, record, need = busy_centre["centre"], busy_centre["dispatch"], busy_centre["need"]
    slug, shots = centre.slug, screenshot_dir
    houkatsu = Agency.objects.create(centre=centre, kind=Agency.Kind.COMPREHENSIVE, name="North Care Centre")

    # --- The leader reports from the slip on the phone, with a concern ---------------------------------------
    leader = new_page(PHONE)
    leader.goto(f"/s/{record.slip_token}/")
    leader.check("input[name=outcome][value=completed]")
    leader.fill("input[name=people]", "2")
    leader.fill("input[name=hours]", "3")
    leader.check("input[name=concerns][value=alone]")
    leader.check("input[name=concerns][value=no_food]")
    leader.fill("textarea[name=concern_note]", TEAM_NOTE)
    leader.screenshot(path=shots / "welfare-01-report-concern-phone.png", full_page=True)
    leader.click("#report button.primary[type=submit]")
    leader.wait_for_selector("#report-done:not([hidden])")  # sent by the phone's outbox (ops/offline)
    filed = leader.inner_text("main")
    assert "福祉担当に伝えました" in filed
    assert "W-0001" not in filed and TEAM_NOTE not in filed  # the team learns nothing more of the household
    case = Case.objects.get()
    assert (case.source, sorted(case.concerns)) == ("team", ["alone", "no_food"])

    # --- The welfare worker finds it and takes it on -----------------------------------------------------------
    worker = new_page(PHONE)
    login(worker, "welfare")
    worker.goto(f"/c/{slug}/welfare/")
    worker.click(f"a:has-text('{case.label}')")
    assert TEAM_NOTE in worker.inner_text("#contacts")
    assert no_horizontal_scroll(worker)
    worker.check("#case-form input[name=categories][value='{}']".format(
        centre.case_categories.get(code="8050").pk))
    worker.check("#case-form input[name=categories][value='{}']".format(
        centre.case_categories.get(code="elderly_alone").pk))
    worker.select_option("#case-form select[name=assignee]", label="Pat-welfare")
    worker.select_option("#case-form select[name=priority]", value=str(Case.Priority.HIGH))
    worker.fill("#case-form textarea[name=summary]", "8050 household: mother and son, isolated")
    with worker.expect_navigation():
        worker.click("#case-form button[type=submit]")
    case.refresh_from_db()
    assert case.assignee.username == "welfare" and case.priority == Case.Priority.HIGH
    assert set(case.categories.values_list("code", flat=True)) == {"8050", "elderly_alone"}

    # A home visit, with the next check in three days.
    next_check = centre.today().toordinal() + 3
    from datetime import date
    worker.click("#contacts summary")
    worker.select_option("#contacts select[name=method]", value="visit")
    worker.check("#contacts input[name=with_whom][value=person]")
    worker.check("#contacts input[name=with_whom][value=family]")
    worker.fill("#contacts textarea[name=found]", VISIT_FOUND)
    worker.fill("#contacts textarea[name=agreed]", "Ask the care centre to visit; call again on Friday")
    worker.fill("#contacts input[name=next_check_on]", date.fromordinal(next_check).isoformat())
    with worker.expect_navigation():
        worker.click("#contacts button[type=submit]")
    case.refresh_from_db()
    assert case.next_check_on == date.fromordinal(next_check)
    assert VISIT_FOUND in worker.inner_text("#contacts")

    # No consent yet: the referral outside the council is refused, with the reason, and nothing is saved.
    worker.click("#referrals summary >> nth=-1")
    worker.select_option("#referrals select[name=agency]", value=str(houkatsu.pk))
    worker.fill("#referrals textarea[name=reason]", "Care needs assessment for the mother")
    worker.click("#referrals form[action$='/refer/'] button[type=submit]")
    worker.wait_for_load_state("networkidle")
    assert "同意が記録されていません" in worker.inner_text("#referrals")
    assert worker.input_value("#referrals textarea[name=reason]") == "Care needs assessment for the mother"
    assert not Referral.objects.exists()
    worker.screenshot(path=shots / "welfare-02-referral-refused-phone.png", full_page=True)

    # The mother agrees (in writing) that the council shares her information with the care centre.
    worker.goto(f"/c/{slug}/welfare/{case.pk}/")
    worker.click("#consents summary")
    worker.check("#consents input[name=purpose][value=share]")
    worker.select_option("#consents select[name=agency]", value=str(houkatsu.pk))
    worker.select_option("#consents select[name=how]", value="written")
    worker.select_option("#consents select[name=given_by]", value="person")
    with worker.expect_navigation():
        worker.click("#consents form[action$='/consent/'] button[type=submit]")
    consent = Consent.objects.get()
    assert (consent.agency, consent.how, consent.recorded_by.username) == (houkatsu, "written", "welfare")

    worker.click("#referrals summary >> nth=-1")
    assert "同意あり" in worker.inner_text("#referrals .agency-state")
    worker.select_option("#referrals select[name=agency]", value=str(houkatsu.pk))
    worker.fill("#referrals textarea[name=reason]", "Care needs assessment for the mother")
    with worker.expect_navigation():
        worker.click("#referrals form[action$='/refer/'] button[type=submit]")
    referral = Referral.objects.get()
    assert (referral.agency, referral.consent, referral.urgent_reason) == (houkatsu, consent, "")
    assert "North Care Centre" in worker.inner_text("#referrals")
    assert no_horizontal_scroll(worker)
    worker.screenshot(path=shots / "welfare-03-case-referred-phone.png", full_page=True)

    # --- The coordinator, on the same need, learns only that there is a case -----------------------------------
    coordinator = new_page(PHONE)
    login(coordinator, Role.COORDINATOR)
    coordinator.goto(f"/c/{slug}/needs/{need.pk}/")
    text = coordinator.inner_text("main")
    assert "福祉ケースがあります" in text
    for secret in (TEAM_NOTE, VISIT_FOUND, "North Care Centre", case.label, "8050"):
        assert secret not in text, secret
    assert coordinator.goto(f"/c/{slug}/welfare/{case.pk}/").status == 403
    coordinator.goto(f"/c/{slug}/needs/{need.pk}/")
    coordinator.screenshot(path=shots / "welfare-04-need-as-coordinator-phone.png", full_page=True)
