"""A script that hides a control (`el.hidden = true`) hides it, whatever display the page's CSS gives buttons."""
import pytest

from ops.centres.models import Role
from tests.e2e.conftest import PHONE, login

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_intake_here_button_is_gone_where_the_browser_has_no_geolocation(new_page, day_centre, staff_user):
    """intake.js hides 「現在地」 when the browser cannot give a position; app.css gave every button a display that
    beat [hidden], so the button stayed, and pressing it threw."""
    staff_user(Role.INTAKE, "intake")
    page = new_page(viewport=PHONE)
    page.add_init_script("delete Navigator.prototype.geolocation;")
    login(page, "intake")
    page.goto(f"/c/{day_centre.slug}/needs/new/")
    page.wait_for_selector("#intake-map.leaflet-container")
    assert page.evaluate("document.getElementById('pin-here').hidden") is True
    assert not page.is_visible("#pin-here")
    shown = page.evaluate("[...document.querySelectorAll('[hidden]')].filter(e => getComputedStyle(e).display !== 'none')"
                          ".map(e => e.id || e.className)")
    assert shown == []
