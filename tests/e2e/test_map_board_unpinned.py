"""The map board in chromium: a need with no position is listed, placed by a click and appears live on a
second coordinator's board; one is dispatched from the list; the search finds by number and by name; a pin's
label shows on hover and on a tap; the prefecture view draws a disaster's centres on one canvas."""
import io
import random

import pytest

from mapping.addresses.importer import import_file
from ops.centres.models import Role
from tests import factories
from tests.dispatch.conftest import END_OF_DAY, make_ready_need, make_team
from tests.e2e.conftest import DESKTOP, PHONE
from tests.mapping.address_files import block_row as address_block_row
from tests.mapping.address_files import csv_bytes as address_csv
from tests.mapping.test_board_live import session_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def centre(db, work_types):
    return factories.make_centre(latest_return_time=END_OF_DAY)


def open_board(browser, stack, user, viewport=DESKTOP, path=None):
    context = browser.new_context(viewport=viewport, locale="ja-JP", is_mobile=viewport is PHONE,
                                  has_touch=viewport is PHONE)
    context.add_cookies([{"name": "sessionid", "value": session_cookie(user), "url": stack.server_url}])
    context.route(r"^https?://(?!127\.0\.0\.1[:/]).*", lambda route: route.fulfill(status=204))  # tiles
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.goto(f"{stack.server_url}{path or f'/c/{user.memberships.first().centre.slug}/map/'}")
    return page


def marker_point(page, need_id):
    return page.evaluate(f"""() => {{ const m = DVC.board.needs.get({need_id}).marker;
        const p = DVC.board.map.latLngToContainerPoint(m.getLatLng());
        const r = document.getElementById('map').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }}""")


def test_a_need_placed_by_a_click_appears_on_another_board_live(browser, stack, centre, screenshot_dir):
    need = make_ready_need(centre, lat=None, lng=None, district="川端", requester_name="位置 無子")
    a, b = (open_board(browser, stack, factories.make_user(Role.COORDINATOR, centre)) for _ in range(2))
    for page in (a, b):
        page.wait_for_selector(f"#unpinned-list li[data-need='{need.pk}']")
        assert page.inner_text("#unpinned-count") == "1件 位置未設定"
    assert "位置 無子" in a.inner_text("#unpinned-list")  # a coordinator may see who asked
    a.screenshot(path=screenshot_dir / "board-unpinned-desktop.png")

    a.click(f"#unpinned-list li[data-need='{need.pk}'] .place-button")
    a.wait_for_selector("#place-panel:not([hidden])")
    assert a.inner_text("#place-label") == need.label
    a.keyboard.press("Escape")  # changed their mind
    a.wait_for_selector("#place-panel", state="hidden")
    a.click(f"#unpinned-list li[data-need='{need.pk}'] .place-button")
    box = a.locator("#map").bounding_box()
    a.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
    a.wait_for_selector("#board-alert.success")
    a.wait_for_selector("#place-panel", state="hidden")

    b.wait_for_function(f"() => DVC.board.needs.has({need.pk})")  # live, through the socket
    b.wait_for_function("() => document.getElementById('unpinned-count').textContent === '0件 位置未設定'")
    need.refresh_from_db()
    assert need.lat is not None and 20 < need.lat < 46
    a.wait_for_selector(f"#need-card h2:has-text('{need.label}')")
    b.screenshot(path=screenshot_dir / "board-placed-live-desktop.png")
    assert a.errors == [] and b.errors == []


def test_dispatch_from_the_list_as_from_a_pin(browser, stack, centre, screenshot_dir):
    need = make_ready_need(centre, people_needed=2, lat=None, lng=None)
    team = make_team(centre, 2)
    page = open_board(browser, stack, factories.make_user(Role.COORDINATOR, centre))
    page.click(f"#unpinned-list li[data-need='{need.pk}'] .link-button")
    page.wait_for_selector(f"#need-card h2:has-text('{need.label}')")
    page.check(f"input[name=team][value='{team.pk}']")
    page.wait_for_function("() => !document.getElementById('dispatch-button').disabled")
    page.click("#dispatch-button")
    page.wait_for_selector("#board-alert.success")
    assert f"{team.label}を{need.label}に送り出しました" in page.inner_text("#board-alert")
    assert need.dispatches.count() == 1
    page.wait_for_function("() => document.getElementById('unpinned-count').textContent === '1件 位置未設定'")
    page.screenshot(path=screenshot_dir / "board-dispatched-from-list-desktop.png")
    assert page.errors == []


def test_search_by_number_and_by_name(browser, stack, centre):
    pinned = make_ready_need(centre, lat=centre.lat + 0.01, lng=centre.lng + 0.01, district="北町")
    unpinned = make_ready_need(centre, lat=None, lng=None, requester_name="探索 梅子")
    page = open_board(browser, stack, factories.make_user(Role.COORDINATOR, centre))
    page.wait_for_function(f"() => DVC.board.needs.has({pinned.pk})")
    page.fill("#find-words", f"Ｎ－{pinned.number:04d}")  # as a Japanese keyboard types it
    page.press("#find-words", "Enter")
    page.wait_for_selector(f"#need-card h2:has-text('{pinned.label}')")
    page.wait_for_function(f"""() => {{ const c = DVC.board.map.getCenter();
        return Math.abs(c.lat - {pinned.lat}) < 1e-4 && DVC.board.map.getZoom() >= 17; }}""")
    page.fill("#find-words", "梅子")
    page.press("#find-words", "Enter")
    page.wait_for_selector(f"#unpinned-list li.selected[data-need='{unpinned.pk}']")
    page.wait_for_selector(f"#need-card h2:has-text('{unpinned.label}')")
    page.fill("#find-words", "だれでもない")
    page.press("#find-words", "Enter")
    page.wait_for_selector("#find-results li:has-text('見つかりませんでした')")
    assert page.errors == []


def test_a_pins_label_on_hover_and_on_a_tap(browser, stack, centre, screenshot_dir):
    need = make_ready_need(centre, lat=centre.lat + 0.002, lng=centre.lng + 0.002, district="中央", people_needed=4)
    user = factories.make_user(Role.COORDINATOR, centre)
    desk = open_board(browser, stack, user)
    desk.wait_for_function(f"() => DVC.board.needs.has({need.pk})")
    x, y = marker_point(desk, need.pk)
    desk.mouse.move(x, y)
    label = desk.wait_for_selector(".leaflet-tooltip.need-label")
    text = label.inner_text()
    assert need.label in text and "泥出し" in text, text  # the work type's words, not its code
    assert "中央" in text and "4人" in text
    desk.screenshot(path=screenshot_dir / "board-label-hover-desktop.png")

    phone = open_board(browser, stack, user, viewport=PHONE)
    phone.wait_for_function(f"() => DVC.board.needs.has({need.pk})")
    phone.locator("#map").scroll_into_view_if_needed()
    x, y = marker_point(phone, need.pk)
    phone.touchscreen.tap(x, y)
    label = phone.wait_for_selector(".leaflet-tooltip.need-label")
    assert need.label in label.inner_text()
    phone.wait_for_selector(f"#need-card h2:has-text('{need.label}')")  # the tap selects it too
    phone.screenshot(path=screenshot_dir / "board-label-tap-phone.png")
    assert desk.errors == [] and phone.errors == []


def test_the_prefecture_view_draws_every_centre_on_one_canvas(browser, stack, screenshot_dir, work_types):
    from ops.needs.models import Need

    disaster = factories.make_disaster()
    centres = [factories.make_centre(disaster=disaster, lat=36.0 + i * 0.1, lng=138.0 + i * 0.1) for i in range(3)]
    rng = random.Random(7)
    Need.objects.bulk_create([Need(centre=c, number=n, status="ready", requester_name="x", address="x",
                                   received_at=_now(),
                                   lat=c.lat + rng.gauss(0, 0.02), lng=c.lng + rng.gauss(0, 0.02))
                              for c in centres for n in range(1, 1001)])
    user = factories.make_user(Role.COORDINATOR, centres[0])
    page = open_board(browser, stack, user, path=f"/c/{centres[0].slug}/map/area/")
    page.wait_for_function("() => DVC.area && DVC.area.timing")
    timing = page.evaluate("DVC.area.timing")
    assert timing["points"] == 3000
    print(f"prefecture view, 3,000 needs: {timing}")
    assert page.locator("canvas.leaflet-dots-layer").count() == 1
    assert page.locator(".leaflet-interactive").count() == len(centres)  # a marker per centre, none per need
    assert page.locator("#area-centres li").count() == 3
    # A dot's label on hover, and its centre's board linked on click (only the coordinator's own centre).
    x, y = page.evaluate("""() => { const d = DVC.area.dots; const r = document.getElementById('area-map')
        .getBoundingClientRect(); for (let i = 0; ; i++) { const p = d.containerPointOf(i);
        if (p.x > 20 && p.y > 20 && p.x < r.width - 20 && p.y < r.height - 20 && d.pointAt(p) >= 0)
          return [r.left + p.x, r.top + p.y]; } }""")
    page.mouse.move(x, y)
    assert "N-" in page.wait_for_selector(".leaflet-tooltip.need-label").inner_text()
    page.mouse.click(x, y)
    page.wait_for_selector("#area-picked .need-label-head")
    page.screenshot(path=screenshot_dir / "board-prefecture-desktop.png")
    assert page.errors == []


def _now():
    from django.utils import timezone

    return timezone.now()


def test_place_need_from_outside_the_board_and_its_refusal_in_words(browser, stack, centre):
    """DVC.board.placeNeed is what an address search's onPick calls; a point outside Japan is refused in words.
    A link from the prefecture view (#need=<id>) opens the need on the board."""
    need = make_ready_need(centre, lat=None, lng=None)
    user = factories.make_user(Role.COORDINATOR, centre)
    page = open_board(browser, stack, user, path=f"/c/{centre.slug}/map/#need={need.pk}")
    page.wait_for_selector(f"#need-card h2:has-text('{need.label}')")
    page.wait_for_selector(f"#unpinned-list li.selected[data-need='{need.pk}']")
    refused = page.evaluate(f"DVC.board.placeNeed({need.pk}, 51.5, -0.12).then(() => 'placed', () => 'refused')")
    assert refused == "refused"
    page.wait_for_selector("#board-alert.error:has-text('日本国内の位置を指定してください')")
    placed = page.evaluate(f"DVC.board.placeNeed({need.pk}, {centre.lat + 0.003}, {centre.lng}).then(c => c.label)")
    assert placed == need.label
    page.wait_for_function(f"() => DVC.board.needs.has({need.pk})")
    need.refresh_from_db()
    assert round(need.lat, 5) == round(centre.lat + 0.003, 5)
    assert page.errors == []


def test_a_need_placed_by_its_address_from_the_imported_address_data(browser, stack, centre, screenshot_dir):
    """The place panel starts from the need's own address; staff choose a candidate (with its confidence in words)
    and the need is placed there: the imported 位置参照情報 block's point."""
    import_file(io.BytesIO(address_csv([address_block_row("テスト市", "中央一丁目", "2", 36.6512, 138.1811),
                                        address_block_row("テスト市", "中央一丁目", "3", 36.6520, 138.1830)])),
                "20999.csv")
    need = make_ready_need(centre, lat=None, lng=None, address="長野県テスト市中央１－２－５")
    page = open_board(browser, stack, factories.make_user(Role.COORDINATOR, centre))
    page.click(f"#unpinned-list li[data-need='{need.pk}'] .place-button")
    page.wait_for_selector("#place-panel:not([hidden])")
    assert page.input_value("#place-address") == "長野県テスト市中央１－２－５"
    page.click("#place-address-button")
    page.wait_for_selector("#place-address-results .address-result")
    assert "番地・街区まで一致" in page.inner_text("#place-address-results")
    need.refresh_from_db()
    assert need.lat is None  # nothing is placed until staff choose
    page.screenshot(path=screenshot_dir / "board-place-by-address-desktop.png")
    page.click("#place-address-results .address-result >> nth=0")
    page.wait_for_selector("#board-alert.success")
    page.wait_for_selector("#place-panel", state="hidden")
    need.refresh_from_db()
    assert (round(need.lat, 4), round(need.lng, 4)) == (36.6512, 138.1811)
    assert page.errors == []
