"""The welfare staff's pages on a 360×640 phone: the case page with every form open, the case list and the
directory fit without sideways scrolling (tables scroll inside .table-wrap), labels above their inputs."""
import pytest

from tests.e2e.conftest import PHONE, login, no_horizontal_scroll
from tests.e2e.test_layouts import CONTROLS_OFF_SCREEN

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

OPEN_ALL = "() => document.querySelectorAll('main details').forEach(d => d.open = true)"


def fits(page, name, screenshot_dir):
    page.screenshot(path=screenshot_dir / f"layout-welfare-{name}-phone.png", full_page=True)
    assert no_horizontal_scroll(page), (name, page.evaluate("document.documentElement.scrollWidth"))
    assert page.evaluate(CONTROLS_OFF_SCREEN) == [], name


def test_welfare_pages_fit_a_phone(new_page, busy_centre, screenshot_dir):
    from django.contrib.auth import get_user_model

    from ops.welfare import services
    from ops.welfare.models import Agency

    centre, need = busy_centre["centre"], busy_centre["waiting"]
    worker = get_user_model().objects.get(username="welfare")
    case, _new = services.open_case(need=need, source="staff", by=worker, summary="Lives alone " * 20)
    services.add_contact(case, by=worker, method="visit", with_whom=["person", "minsei"],
                         found="Eating well; worried about the damp floor " * 5, agreed="Visit again next week")
    agency = Agency.objects.create(centre=centre, kind="houkatsu", name="Riverside Community Care Centre",
                                   phone="026-000-0000", area="Chuo and the riverside streets")
    services.give_consent(case, by=worker, purpose="share", how="written", agency=agency)
    services.refer(case, by=worker, agency=agency, reason="Care insurance application")

    page = new_page(PHONE)
    login(page, "welfare")
    page.goto(f"/c/{centre.slug}/welfare/{case.pk}/")
    page.evaluate(OPEN_ALL)
    fits(page, "case", screenshot_dir)
    # a label stands above its input, not beside it
    label = page.locator("#case-form label[for=id_summary]").bounding_box()
    box = page.locator("#case-form #id_summary").bounding_box()
    assert label["y"] + label["height"] <= box["y"] + 1

    # a refused form comes back (400) with its message, still on one column
    page.fill("#contacts textarea[name=found]", "")
    page.fill("#contacts textarea[name=agreed]", "")
    page.click("#contacts button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("#contacts .errorlist").count() == 1
    fits(page, "case-refused", screenshot_dir)

    page.goto(f"/c/{centre.slug}/welfare/")
    fits(page, "list", screenshot_dir)
    page.goto(f"/c/{centre.slug}/welfare/directory/")
    page.evaluate(OPEN_ALL)
    fits(page, "directory", screenshot_dir)
    page.goto(f"/c/{centre.slug}/welfare/directory/agencies/{agency.pk}/")
    fits(page, "agency", screenshot_dir)
    assert [e for e in page.console_errors if "status of 400" not in e] == []  # the refused form's answer
