"""The prefecture's pages in chromium, on a phone (360 px) and a desktop: the overview follows a check-in on its
next poll and says when it last updated; the district map draws a circle per placed district whose popup holds
counts as text (markup in a district's name stays text). Screenshots: test-artifacts/screenshots/prefecture-*.png."""
# ruff: noqa: F811  (the fixtures imported from conftest_overview and tests.e2e are the tests' arguments)
import pytest

from ops.needs.models import NeedStatus
from tests.e2e import conftest as e2e
from tests.e2e.conftest import DESKTOP, PHONE, login, no_horizontal_scroll
from tests.factories import make_attendance
from tests.prefecture.conftest_overview import RESIDENT_SECRETS, pref, seed  # noqa: F401 (fixtures)

new_page, work_types, screenshot_dir = e2e.new_page, e2e.work_types, e2e.screenshot_dir  # the fixtures
pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]
MARKUP = '<img src="/static/favicon.svg" id="dvc-injected" alt="">'


def shoot(page, screenshot_dir, name):
    page.screenshot(path=str(screenshot_dir / f"prefecture-{name}.png"), full_page=True)


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_overview_lands_and_follows_the_figures(new_page, screenshot_dir, pref, viewport, label):
    page = new_page(viewport)
    login(page, pref.member.username)
    page.goto("/")
    page.wait_for_url(f"**/pref/{pref.disaster.pk}/")
    cell = page.locator(f'tr[data-centre="{pref.a.pk}"] [data-cell="volunteers_today"]')
    assert cell.inner_text().strip() == "3"
    assert page.locator('tr[data-centre="totals"] [data-cell="volunteers_today"]').inner_text().strip() == "7"
    assert no_horizontal_scroll(page)
    shoot(page, screenshot_dir, f"overview-{label}")
    make_attendance(pref.a, date=pref.a.today())
    page.evaluate("window.DVCPrefecture.poll()")  # the 20 s timer, now
    selector = f'tr[data-centre="{pref.a.pk}"] [data-cell="volunteers_today"]'
    page.wait_for_function("s => document.querySelector(s).textContent.trim() === '4'", arg=selector)
    assert page.locator('tr[data-centre="totals"] [data-cell="volunteers_today"]').inner_text().strip() == "8"
    assert page.locator("#pref-updated").inner_text().startswith("最終更新 ")
    assert page.console_errors == []


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_district_map_shows_counts_never_a_household(new_page, screenshot_dir, pref, viewport, label):
    seed(pref.b, [NeedStatus.NEW] * 3, district=f"東{MARKUP}"[:40], lat=36.72, lng=138.33)
    page = new_page(viewport)
    login(page, pref.member.username)
    page.goto(f"/pref/{pref.disaster.pk}/map/")
    page.wait_for_selector("#district-map-page[data-loaded]")
    assert page.get_attribute("#district-map-page", "data-loaded") == "3"  # 北町, 南町, 東…; 一軒だけ unplaced
    assert page.locator("#district-rows tr").count() == 4
    page.locator("#district-map").scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # fitBounds settles
    x, y = page.evaluate("""() => { const m = window.DVCDistricts.map, c = window.DVCDistricts.circles[0];
        const p = m.latLngToContainerPoint(c.getLatLng());
        const r = document.getElementById('district-map').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content .pref-popup")
    popup.wait_for()
    assert "未完了" in popup.inner_text()
    for circle in range(3):
        page.evaluate(f"window.DVCDistricts.circles[{circle}].openPopup()")
        assert page.locator("#dvc-injected").count() == 0
    text = page.locator("body").inner_text()
    assert [s for s in RESIDENT_SECRETS if s in text] == []
    assert no_horizontal_scroll(page)
    page.evaluate("window.DVCDistricts.circles[0].openPopup()")
    shoot(page, screenshot_dir, f"map-{label}")
    assert page.console_errors == []
