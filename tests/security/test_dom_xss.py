"""DOM XSS: what the boards' scripts put on the page from JSON stays text. Markup in a base's name, a need's
district and description and the centre's notice is written into every live board in a real browser; no
element of it may appear in the document, and the base's map tooltip shows the name as typed."""
import pytest

from ops.centres import services as centre_services
from ops.centres.models import Role
from ops.needs.models import NeedStatus
from tests import factories
from tests.e2e.conftest import login, new_page, work_types  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

MARKUP = '<img src="/static/favicon.svg" id="dvc-injected" alt="">'


def test_names_from_the_data_stay_text_on_the_live_boards(new_page, work_types):  # noqa: F811
    centre = factories.make_centre()
    centre.bases.update(name=f"本部{MARKUP}")
    factories.make_need(centre, status=NeedStatus.READY, district=f"中央{MARKUP}"[:40],
                        description=f"泥出し{MARKUP}", hazards=f"段差{MARKUP}")
    centre_services.set_notices(centre, notice=f"雨天注意{MARKUP}", what_to_bring=f"長靴{MARKUP}")
    factories.make_user(Role.COORDINATOR, centre, username="xss-coordinator")

    page = new_page()
    login(page, "xss-coordinator")
    page.goto(f"/c/{centre.slug}/map/")
    page.wait_for_selector("#feed-count:not(:empty)")
    page.hover(".base-icon")
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text().strip() == f"本部{MARKUP}"
    for url in (f"/c/{centre.slug}/map/", f"/c/{centre.slug}/board/", f"/p/{centre.slug}/"):
        if page.url.endswith(url) is False:
            page.goto(url)
        if page.locator("#live-state").count():
            page.wait_for_selector('#live-state:not([data-state="static"])')
        assert page.locator("#dvc-injected").count() == 0, url
    assert page.console_errors == []
