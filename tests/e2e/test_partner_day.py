# ruff: noqa: F811  (new_page and screenshot_dir are the e2e fixtures, imported for this test)
"""三者連携 walked whole in chromium, each person on their own screen: the coordinator's survey marks a roof job
technical and not for volunteers, the coordinator offers the roof work to an NPO from the need's page, the
NPO's login (invited for its organisation) accepts on a phone, sets the day and reports it done with a photo;
the resident's private page then says which organisation did it (no person's name), and the 日報, the staff
board and the technical desk read the same "done today"."""
import io

import pytest
from PIL import Image

from ops.centres.models import Role
from ops.needs.models import Need, NeedStatus, WorkType
from ops.partners import services
from ops.partners.models import PartnerJob
from ops.staff import services as staff_services
from tests import factories
from tests.e2e.conftest import PASSWORD, PHONE, login, new_page, no_horizontal_scroll, screenshot_dir  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]
NPO = "NPO法人 やねまもり信州"


def photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 80, 170)).save(out, "JPEG")
    return {"name": "roof.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def test_a_roof_job_goes_from_the_survey_to_an_npo_and_back_to_the_resident_and_the_report(new_page, screenshot_dir):
    centre = factories.make_centre()
    admin = factories.make_user(Role.ADMIN, centre)
    coordinator = factories.make_user(Role.COORDINATOR, centre)
    need = factories.make_need(centre, work_types=["tarp"], status=NeedStatus.NEW, district="瓦町",
                               requester_name="雨漏 困子", phone="090-5151-2323")
    npo = services.save_organisation(centre, by=admin, name=NPO, kind="technical", capabilities=["roof", "chainsaw"])
    services.save_organisation(centre, by=admin, name="あおば重機クラブ", capabilities=["heavy"])
    _invitation, token = staff_services.invite(centre=centre, role=Role.PARTNER, organisation=npo, by=admin)
    staff_services.accept_invitation(token, account={"username": "yanemamori", "name": "屋根 守",
                                                     "password": PASSWORD, "email": ""})

    # The coordinator's survey: a roof, not for general volunteers, technical.
    desk = new_page()
    login(desk, coordinator.username)
    desk.goto(f"/c/{centre.slug}/needs/{need.pk}/survey/")
    desk.select_option("select[name=damage_type]", "partial")
    desk.fill("input[name=people_needed]", "3")
    desk.fill("input[name=days_needed]", "1")
    desk.check("input[name=volunteer_ok][value=no]")
    desk.fill("input[name=refusal_reason]", "2階の屋根の上の作業")
    desk.check("input[name=technical]")
    desk.click("button.primary[type=submit]")
    desk.wait_for_url(f"**/needs/{need.pk}/")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.ON_HOLD

    # ...and offers the roof work to the NPO from the need's page.
    tarp = WorkType.objects.get(code="tarp")
    assert desk.input_value("#id_work") == str(tarp.pk)
    desk.select_option("#id_organisation", str(npo.pk))
    desk.fill("#offer-form textarea[name=note]", "南面にブルーシート。シートはセンターで用意。")
    desk.click("#offer-form button[type=submit]")
    desk.wait_for_url(f"**/needs/{need.pk}/")
    job = PartnerJob.objects.get(need=need)
    assert (job.organisation, job.work_type, job.status) == (npo, tarp, PartnerJob.Status.OFFERED)

    # The NPO's person, on a phone: the job list, accept, today, done with a photo.
    phone = new_page(viewport=PHONE)
    login(phone, "yanemamori")
    assert phone.url.endswith(f"/c/{centre.slug}/partner/")
    phone.locator(".job-row").first.click()
    phone.wait_for_selector("#accept")
    assert "090-5151-2323" not in phone.content()  # not before it is accepted
    phone.click("#accept button[type=submit]")
    phone.wait_for_selector(".messages")
    assert phone.locator("a[href='tel:090-5151-2323']").is_visible()
    phone.fill("#schedule input[type=date]", centre.today().isoformat())
    phone.click("#schedule button[type=submit]")
    phone.wait_for_selector("#complete")
    phone.check("#complete input[value=done]")
    phone.fill("#complete textarea", "南面にブルーシートを張り、土のうで押さえた。")
    phone.set_input_files("#complete input[multiple]", files=[photo()])
    phone.click("#complete button[type=submit]")
    phone.wait_for_selector(".photo-grid img")
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=screenshot_dir / "partner-day-done-phone.png", full_page=True)
    job.refresh_from_db()
    assert (job.status, job.outcome, job.photos.count()) == (PartnerJob.Status.DONE, "done", 1)
    assert Need.objects.get(pk=need.pk).status == NeedStatus.COMPLETED  # the roof was all of it

    # The resident's private page names the organisation, never a person.
    resident = new_page(viewport=PHONE)
    resident.goto(f"/r/{need.reference_token}/")
    text = resident.inner_text("main")
    assert NPO in text and "対応しました" in text
    assert "屋根 守" not in resident.content() and "yanemamori" not in resident.content()
    assert no_horizontal_scroll(resident)
    resident.screenshot(path=screenshot_dir / "partner-day-resident-phone.png", full_page=True)

    # The 日報, the staff board and the desk: one "done today", the same number.
    desk.goto(f"/c/{centre.slug}/reports/")
    section = desk.locator("h2[data-section=technical]")
    assert section.is_visible()
    report_done = desk.locator("[data-figure='technical.summary.done_today']").inner_text().strip()
    assert report_done == "1"
    assert NPO in desk.inner_text("main")
    desk.screenshot(path=screenshot_dir / "partner-day-report.png", full_page=True)
    desk.goto(f"/c/{centre.slug}/board/")
    board_done = desk.locator("[data-partner-figure=done_today] .n").inner_text().strip()
    desk.goto(f"/c/{centre.slug}/partners/")
    desk_done = desk.locator("[data-count=done_today] .n").inner_text().strip()
    assert board_done == report_done == desk_done
    assert desk.locator("#waiting").count() == 0 or need.label not in desk.locator("#waiting").inner_text()
    assert desk.console_errors == [] and phone.console_errors == [] and resident.console_errors == []
