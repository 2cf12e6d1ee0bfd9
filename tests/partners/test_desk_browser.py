"""The technical desk in a real browser: a coordinator surveys a roof need and marks it technical (not for
volunteers), offers the roof work to an organisation from the need's page (the organisations able to do the
chosen work come first) and finds the job on the desk page; the need page and the desk fit a 360 px phone."""
import pytest

from ops.centres.models import Role
from ops.needs.models import NeedStatus, WorkType
from ops.partners import services
from ops.partners.models import PartnerJob
from tests import factories
from tests.e2e.conftest import (  # noqa: F401 (fixtures)
    PHONE,
    login,
    new_page,
    no_horizontal_scroll,
    screenshot_dir,
    work_types,
)

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def organisation_options(page) -> list[str]:
    return [t.strip() for t in page.locator("#id_organisation option").all_inner_texts() if t.strip() != "—"]


def test_a_coordinator_surveys_offers_and_follows_a_roof_job_on_a_phone(new_page, work_types,  # noqa: F811
                                                                        screenshot_dir):  # noqa: F811
    centre = factories.make_centre()
    coordinator = factories.make_user(Role.COORDINATOR, centre)
    admin = factories.make_user(Role.ADMIN, centre)
    need = factories.make_need(centre, work_types=["tarp", "mud"], status=NeedStatus.NEW, district="川端")
    heavy = services.save_organisation(centre, by=admin, name="あおば重機クラブ", capabilities=["heavy"])
    roof = services.save_organisation(centre, by=admin, name="やねネット信州", capabilities=["roof", "chainsaw"])

    page = new_page(viewport=PHONE)
    login(page, coordinator.username)
    page.goto(f"/c/{centre.slug}/needs/{need.pk}/survey/")
    page.select_option("select[name=damage_type]", "partial")
    page.fill("input[name=people_needed]", "2")
    page.fill("input[name=days_needed]", "1")
    page.check("input[name=volunteer_ok][value=no]")
    page.fill("input[name=refusal_reason]", "2階の屋根")
    page.check("input[name=technical]")
    page.click("button.primary[type=submit]")
    page.wait_for_url(f"**/needs/{need.pk}/")
    need.refresh_from_db()
    assert need.status == NeedStatus.ON_HOLD and need.technical

    # The need's page: the roof work is chosen first, and the organisation able to do it comes first.
    panel = page.locator("#partner-panel")
    panel.scroll_into_view_if_needed()
    tarp = WorkType.objects.get(code="tarp")
    assert page.input_value("#id_work") == str(tarp.pk)
    assert organisation_options(page) == [roof.name, heavy.name]
    page.select_option("#id_work", "whole")  # no capability: the server's order (by name) stays
    page.select_option("#id_work", str(WorkType.objects.get(code="mud").pk))
    page.select_option("#id_work", str(tarp.pk))
    assert organisation_options(page)[0] == roof.name
    page.select_option("#id_organisation", str(roof.pk))
    page.fill("#offer-form textarea[name=note]", "南側の屋根にブルーシート")
    assert no_horizontal_scroll(page)
    page.click("#offer-form button[type=submit]")
    page.wait_for_url(f"**/needs/{need.pk}/")
    job = PartnerJob.objects.get(need=need)
    assert (job.organisation, job.work_type, job.status) == (roof, tarp, "offered")
    assert "やねネット信州" in panel.inner_text() and "依頼中" in panel.inner_text()
    panel.screenshot(path=str(screenshot_dir / "desk-need-panel-360.png"))
    assert no_horizontal_scroll(page)

    # The desk: the job is open with the organisation, and the need no longer waits.
    page.goto(f"/c/{centre.slug}/partners/")
    open_jobs = page.locator("#open-jobs")
    assert need.label in open_jobs.inner_text() and "やねネット信州" in open_jobs.inner_text()
    assert need.label not in page.locator("#waiting").inner_text()
    assert page.locator('[data-count="offered"] .n').inner_text() == "1"
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "desk-desk-360.png"), full_page=True)
    page.goto(f"/c/{centre.slug}/partners/organisations/")  # the list, readable by the coordinator
    assert "やねネット信州" in page.locator("#organisations").inner_text()
    assert no_horizontal_scroll(page)
    page.goto(f"/c/{centre.slug}/partners/")
    page.click(f"#open-jobs a:has-text('{need.label}')")
    page.wait_for_url(f"**/needs/{need.pk}/")
    assert page.console_errors == []
