"""The 情報共有会議 sheet at 360 px: the tables scroll inside their frame, the page itself does not scroll sideways,
and every control (downloads, 会議を記録) is on screen."""
import pytest

from ops.centres.models import Role
from ops.partners import services
from tests import factories
from tests.e2e.conftest import (  # noqa: F401 (fixtures)
    PHONE,
    day_centre,
    login,
    new_page,
    no_horizontal_scroll,
    screenshot_dir,
    staff_user,
    work_types,
)
from tests.e2e.test_layouts import CONTROLS_OFF_SCREEN
from tests.partners.conftest_meeting import technical_need

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_meeting_sheet_fits_a_phone(new_page, work_types, day_centre, staff_user, screenshot_dir):  # noqa: F811
    staff_user(Role.COORDINATOR, "coordinator")
    staff = factories.make_user(Role.ADMIN, day_centre)
    org = services.save_organisation(day_centre, by=staff, name="Roofers of the River Valley Association",
                                     capabilities=["roof"])
    need = technical_need(day_centre, work_types=["tarp", "mud"], district="Upper Riverside North")
    services.offer(need, org, by=staff, work_type=need.work_types.get(code="tarp"))
    technical_need(day_centre, work_types=["heavy"], district="South", days_ago=5)
    page = new_page(PHONE)
    login(page, "coordinator")
    page.goto(f"/c/{day_centre.slug}/partners/meeting/")
    page.screenshot(path=screenshot_dir / "layout-partner-meeting-phone.png", full_page=True)
    assert "Roofers of the River Valley Association" in page.inner_text("main")
    assert no_horizontal_scroll(page), page.evaluate("document.documentElement.scrollWidth")
    assert page.evaluate(CONTROLS_OFF_SCREEN) == []
    assert page.console_errors == []
