"""Screens at the sizes they are used at: the volunteer's and the leader's pages on a 360×640 phone without
sideways scrolling, the map board on a 1280×800 desktop with the map and the teams panel in view, the
staff board's map actually drawing the needs, the daily report's chart loading."""
import pytest

from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE, login, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Form controls whose right edge is past the screen (clipped by an overflow:hidden parent, say) are as
# unusable as a page that scrolls sideways.
CONTROLS_OFF_SCREEN = """() => Array.from(document.querySelectorAll(
    'main input:not([type=hidden]), main select, main textarea, main button, main a.button'))
  .filter(el => el.offsetParent && !el.closest('[aria-hidden=true]'))  // not the spam trap kept off screen
  .filter(el => { const r = el.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.left < -1; })
  .map(el => el.name || el.id || el.textContent.trim().slice(0, 30))"""


def assert_fits_phone(page, name, screenshot_dir):
    page.screenshot(path=screenshot_dir / f"layout-{name}-phone.png", full_page=True)
    assert page.viewport_size == PHONE
    assert no_horizontal_scroll(page), (name, page.evaluate("document.documentElement.scrollWidth"))
    assert page.evaluate(CONTROLS_OFF_SCREEN) == [], name


def test_volunteer_and_leader_pages_fit_a_phone(new_page, busy_centre, screenshot_dir):
    from ops.volunteers import codes

    centre, record = busy_centre["centre"], busy_centre["dispatch"]
    newcomer = factories.make_volunteer(name="Mia Kato", kana="KATO MIA", prefecture="Nagano", city="Riverside")
    page = new_page(PHONE)

    page.goto(f"/p/{centre.slug}/volunteers/register/")
    assert_fits_phone(page, "register", screenshot_dir)
    page.goto(f"/v/{newcomer.token}/")  # the personal link signs this phone in
    assert_fits_phone(page, "personal", screenshot_dir)
    page.goto(f"/p/{centre.slug}/checkin/{codes.daily_code(centre, centre.today())}/")
    page.wait_for_selector("main form input[type=checkbox]")
    assert_fits_phone(page, "checkin", screenshot_dir)

    page.goto(f"/s/{record.slip_token}/")
    page.wait_for_selector("#report input[name=hours]")
    assert_fits_phone(page, "slip", screenshot_dir)
    page.locator("#report").scroll_into_view_if_needed()
    assert page.locator("#report button[type=submit]").is_visible()

    page.goto(f"/p/{centre.slug}/request/")
    assert_fits_phone(page, "public-request", screenshot_dir)
    page.goto(f"/p/{centre.slug}/")
    page.wait_for_selector('#live-state[data-state="live"]')
    assert_fits_phone(page, "public-board", screenshot_dir)
    assert page.console_errors == []


def test_leader_files_the_return_report_on_a_phone(new_page, busy_centre, screenshot_dir):
    from ops.needs.models import NeedStatus

    record, need = busy_centre["dispatch"], busy_centre["need"]
    page = new_page(PHONE)
    page.goto(f"/s/{record.slip_token}/")
    page.check("#report input[name=outcome][value=completed]")
    page.fill("#report input[name=hours]", "2.5")
    page.click("#report button.primary[type=submit]")
    page.wait_for_selector("#report-done:not([hidden])")  # sent by the phone's outbox (ops/offline)
    assert_fits_phone(page, "return-report-filed", screenshot_dir)
    need.refresh_from_db()
    assert need.status == NeedStatus.COMPLETED, page.inner_text("body")[:300]


def test_staff_return_report_fits_a_phone(new_page, busy_centre, screenshot_dir):
    page = new_page(PHONE)
    login(page, "coordinator")
    page.goto(f"/c/{busy_centre['centre'].slug}/dispatch/{busy_centre['dispatch'].pk}/report/")
    assert_fits_phone(page, "staff-return-report", screenshot_dir)


def test_map_board_is_usable_on_a_desktop(new_page, busy_centre, screenshot_dir):
    centre, need = busy_centre["centre"], busy_centre["waiting"]
    page = new_page(DESKTOP)
    login(page, "coordinator")
    page.goto(f"/c/{centre.slug}/map/")
    page.wait_for_function(f"() => window.DVC && DVC.board && DVC.board.needs.has({need.pk})")
    page.screenshot(path=screenshot_dir / "layout-map-board-desktop.png")
    assert no_horizontal_scroll(page)
    box = page.locator("#map").bounding_box()
    assert box["width"] >= 640 and box["height"] >= 400, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"]
    assert box["y"] + box["height"] <= DESKTOP["height"] + 1, "the map runs below the window"
    panel = page.locator(".panel-teams").bounding_box()
    assert panel["x"] >= box["x"] + box["width"] - 1 and panel["x"] + panel["width"] <= DESKTOP["width"], panel
    assert page.locator(".panel-teams").is_visible() and page.locator("#dispatch-button").is_visible()
    assert page.locator("#dispatch-button").bounding_box()["y"] < DESKTOP["height"]
    # The needs are drawn: the marker canvas covers the map.
    canvas = page.locator("#map .leaflet-overlay-pane canvas").bounding_box()
    assert canvas and canvas["width"] >= box["width"] * 0.9, canvas
    assert page.console_errors == []


def test_staff_board_map_draws_the_needs(new_page, busy_centre, screenshot_dir):
    """The board's markers sit on a canvas in Leaflet's overlay pane; app.css's `canvas {max-width: 100%}`
    squashes it to nothing unless the page's own CSS exempts Leaflet (as the map board does)."""
    page = new_page(DESKTOP)
    login(page, "viewer")
    page.goto(f"/c/{busy_centre['centre'].slug}/board/")
    page.wait_for_selector('#live-state[data-state="live"]')
    page.screenshot(path=screenshot_dir / "layout-staff-board-desktop.png", full_page=True)
    assert no_horizontal_scroll(page)
    map_box = page.locator("#board-map").bounding_box()
    canvas = page.locator("#board-map .leaflet-overlay-pane canvas").bounding_box()
    assert canvas and canvas["width"] >= map_box["width"] * 0.9, (map_box, canvas)


def test_daily_report_page_shows_its_chart(new_page, busy_centre, screenshot_dir):
    page = new_page(DESKTOP)
    login(page, "coordinator")
    page.goto(f"/c/{busy_centre['centre'].slug}/reports/")
    chart = page.locator("img.chart")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('img.chart').complete", timeout=30000)
    page.screenshot(path=screenshot_dir / "layout-report-desktop.png", full_page=True)
    assert page.evaluate("document.querySelector('img.chart').naturalWidth") > 0
    assert no_horizontal_scroll(page)


# Each checkbox and radio on a page, with the box a finger can tap to change it: its label (or itself).
TAP_TARGETS = """() => Array.from(document.querySelectorAll('main input[type=checkbox], main input[type=radio]'))
  .filter(el => el.offsetParent && !el.closest('[aria-hidden=true]'))  // not the spam trap kept off screen
  .map(el => { const r = ((el.labels && el.labels[0]) || el.closest('label') || el).getBoundingClientRect();
    return [el.name + '=' + el.value, Math.floor(r.width), Math.floor(r.height)]; })"""


def test_every_checkbox_and_radio_on_phone_pages_is_a_44px_tap_target(new_page, busy_centre, screenshot_dir):
    """A 13 px box is missed by gloved, muddy fingers: every choice is tapped through a box of at least
    44 × 44 CSS px (WCAG 2.5.5), on every page volunteers, leaders and residents use on a phone."""
    from ops.dispatch.models import EquipmentKind
    from ops.dispatch.services import lend_tools
    from ops.volunteers import codes

    centre, record = busy_centre["centre"], busy_centre["dispatch"]
    lend_tools(team=busy_centre["team"], kind=EquipmentKind.objects.create(centre=centre, name="Shovel", total=9),
               quantity=2)
    newcomer = factories.make_volunteer(name="Mia Kato", kana="KATO MIA", prefecture="Nagano", city="Riverside")
    resident = busy_centre["waiting"].reference_token
    page = new_page(PHONE)
    small, seen = {}, 0

    def check(path, ready=None):
        nonlocal seen
        page.goto(path)
        if ready:
            page.wait_for_selector(ready)
        targets = page.evaluate(TAP_TARGETS)
        seen += len(targets)
        too_small = [t for t in targets if t[1] < 44 or t[2] < 44]
        if too_small:
            small[path] = too_small

    check(f"/p/{centre.slug}/volunteers/register/")
    check(f"/p/{centre.slug}/volunteers/group/")
    check(f"/v/{newcomer.token}/")
    check(f"/p/{centre.slug}/volunteers/book/")
    check(f"/p/{centre.slug}/checkin/{codes.daily_code(centre, centre.today())}/", "main form input[type=checkbox]")
    check(f"/v/{busy_centre['volunteer'].token}/")  # checked in: the check-out page
    check(f"/s/{record.slip_token}/", "#report input[name=outcome]")
    check(f"/p/{centre.slug}/request/")
    check(f"/r/{resident}/")
    check(f"/r/{resident}/close/")
    login(page, "coordinator")
    check(f"/c/{centre.slug}/dispatch/{record.pk}/report/")  # staff file it on a phone at the desk
    page.screenshot(path=screenshot_dir / "layout-tap-targets-staff-report-phone.png", full_page=True)
    assert seen > 40
    assert small == {}, small
