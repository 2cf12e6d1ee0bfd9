"""With a base map file loaded, every map draws its tiles from this server and no request leaves it: the
browser is told to refuse anything not on 127.0.0.1, and every request it makes is listed."""
import re

import pytest

from tests.e2e.conftest import DESKTOP, OFFSITE, PHONE, login
from tests.mapping.mbtiles import build

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

AREA = (138.15, 36.63, 138.21, 36.67)  # around day_centre (36.65, 138.18)


@pytest.fixture
def offline_server(stack, tmp_path):
    """A second server on the test database whose maps use a small MBTiles file (z12-14 over AREA)."""
    path = build(tmp_path / "riverside.mbtiles", zooms=(12, 13, 14), area=AREA,
                 metadata={"name": "Riverside 2026", "bounds": ",".join(map(str, AREA)), "minzoom": "12",
                           "maxzoom": "14"})
    url = stack.start_server(env=stack.env(TILE_MBTILES=str(path)), name="offline-map-server")
    try:
        yield url
    finally:
        stack.stop_process("offline-map-server")


def offline_context(browser, base_url, viewport):
    context = browser.new_context(viewport=viewport, locale="ja-JP", base_url=base_url,
                                  is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    context.set_default_timeout(15000)
    left, asked = [], []
    context.on("request", lambda r: asked.append(r.url))
    # Refused, not answered: a request that would leave the machine is recorded and fails as it would offline.
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1:\d+/|data:|blob:)"),
                  lambda route: (left.append(route.request.url), route.abort()))
    return context, left, asked


def test_every_map_uses_the_local_tiles_and_nothing_leaves_localhost(browser, busy_centre, offline_server,
                                                                    screenshot_dir):
    centre, need = busy_centre["centre"], busy_centre["waiting"]
    pages = [(f"/c/{centre.slug}/map/", "#map"), (f"/c/{centre.slug}/board/", "#board-map"),
             (f"/c/{centre.slug}/needs/{need.pk}/", "#need-map"), (f"/c/{centre.slug}/needs/new/", "#intake-map"),
             (f"/c/{centre.slug}/settings/", "#centre-map"), (f"/c/{centre.slug}/basemap/", "#basemap-map")]
    for viewport in (DESKTOP, PHONE):
        context, left, asked = offline_context(browser, offline_server, viewport)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        login(page, "admin")
        for url, selector in pages:
            page.goto(url)
            page.wait_for_selector(f"{selector} img.leaflet-tile-loaded")
            page.wait_for_load_state("networkidle")
            note = page.locator(f"{selector} .map-source-note").inner_text()
            assert note == "背景地図: ローカルファイル（Riverside 2026, z12–14）", (url, note)
            sources = page.eval_on_selector_all(f"{selector} img.leaflet-tile", "els => els.map(e => e.src)")
            assert sources and all(re.match(rf"{offline_server}/tiles/basemap/1[234]/\d+/\d+\.png\?v=", s)
                                   for s in sources), (url, sources[:3])
            if viewport is DESKTOP and url.endswith("/map/"):
                page.screenshot(path=str(screenshot_dir / "offline-map-board-desktop.png"))
        page.goto(f"/c/{centre.slug}/basemap/")
        page.wait_for_selector("#basemap-map img.leaflet-tile-loaded")
        if viewport is DESKTOP:
            page.screenshot(path=str(screenshot_dir / "offline-basemap-page-desktop.png"), full_page=True)
        tile_requests = [u for u in asked if "/tiles/basemap/" in u]
        context.close()
        assert left == [], left
        assert errors == []
        assert tile_requests and all(u.startswith(offline_server) for u in asked if u.startswith("http"))


def test_without_internet_the_tile_server_map_says_so(new_page, busy_centre):
    """The default server (TILE_URL, no file): the test machine's tile requests fail, and the map says why."""
    centre = busy_centre["centre"]
    page = new_page(DESKTOP)
    page.context.unroute(OFFSITE)
    page.context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    login(page, "coordinator")
    page.goto(f"/c/{centre.slug}/map/")
    page.wait_for_selector("#map .map-source-note.map-offline-note")
    assert "地図画像を読み込めません（オフライン）" in page.locator("#map .map-source-note").inner_text()


@pytest.fixture
def demo_server(stack, tmp_path):
    """The demo's set-up: the tile server as configured, and the drawn grid under var/basemap/."""
    from mapping import demo_basemap

    var = tmp_path / "var"
    demo_basemap.write_demo(var / "basemap" / "demo.mbtiles", west=138.15, south=36.63, east=138.21, north=36.67)
    url = stack.start_server(env=stack.env(VAR_DIR=str(var)), name="demo-grid-server")
    try:
        yield url
    finally:
        stack.stop_process("demo-grid-server")


def test_in_the_demo_an_unreachable_tile_server_gives_way_to_the_labelled_grid(browser, busy_centre, demo_server,
                                                                              screenshot_dir):
    centre = busy_centre["centre"]
    context, left, _asked = offline_context(browser, demo_server, DESKTOP)
    page = context.new_page()
    login(page, "coordinator")
    page.goto(f"/c/{centre.slug}/map/")
    page.wait_for_selector("#map img.leaflet-tile-loaded[src*='/tiles/demo/']")
    page.wait_for_load_state("networkidle")
    note = page.locator("#map .map-source-note").inner_text()
    page.screenshot(path=str(screenshot_dir / "offline-demo-grid-desktop.png"))
    context.close()
    assert note.startswith("背景地図: デモ用の方眼（実際の地図ではありません")
    assert left and all("cyberjapandata.gsi.go.jp" in u for u in left)  # tried once, refused, and given up
