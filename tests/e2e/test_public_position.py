"""A resident on a phone sends their position with the request: chromium with a mobile viewport, the
geolocation permission and a position given by Playwright; and the words when the permission is refused."""
import pytest

from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

HOUSE = {"latitude": 36.6481, "longitude": 138.1946, "accuracy": 23}


def phone(browser, stack, **options):
    context = browser.new_context(viewport=PHONE, locale="ja-JP", base_url=stack.server_url, is_mobile=True,
                                  has_touch=True, **options)
    context.set_default_timeout(15000)
    context.route(r"^https?://(?!127\.0\.0\.1[:/]).*", lambda route: route.abort())
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return context, page


def fill_request(page):
    page.fill("input[name=requester_name]", "Hanako Yamada")
    page.fill("input[name=phone]", "090-1111-2222")
    page.fill("input[name=address]", "1-2-3 Chuo, Riverside")
    page.fill("textarea[name=description]", "Mud under the floor")
    page.check("input[name=consent]")


def test_the_position_goes_with_the_request_and_lands_on_the_map(browser, stack, day_centre, screenshot_dir):
    from ops.needs.models import Need

    context, page = phone(browser, stack, geolocation=HOUSE, permissions=["geolocation"])
    page.goto(f"/p/{day_centre.slug}/request/")
    fill_request(page)
    box = page.locator("#field-position")
    assert box.is_visible(), page.errors
    page.click("[data-geolocate-send]")
    page.wait_for_selector(".geolocate-status.ok")
    assert box.locator("[data-geolocate-status]").inner_text() == "現在地を取得しました（誤差 約23 m）"
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "public-request-position-phone.png"))
    # Removed, then sent again: what is sent is what the words say.
    page.click("[data-geolocate-remove]")
    assert page.input_value("input[name=lat]") == "" and box.locator("[data-geolocate-status]").inner_text() == ""
    page.click("[data-geolocate-send]")
    page.wait_for_selector(".geolocate-status.ok")
    page.wait_for_timeout(3000)  # a person takes longer than the form's anti-bot minimum
    page.click("button[type=submit].primary")
    page.wait_for_url("**/request/thanks/")
    page.screenshot(path=str(screenshot_dir / "public-request-position-thanks-phone.png"))
    context.close()
    need = Need.objects.get(centre=day_centre)
    assert (need.lat, need.lng) == (pytest.approx(36.6481, abs=1e-6), pytest.approx(138.1946, abs=1e-6))
    assert "誤差 約23 m" in need.notes
    assert page.errors == []


def test_a_refused_permission_is_said_in_words_and_the_request_goes_without_it(browser, stack, day_centre,
                                                                              screenshot_dir):
    from ops.needs.models import Need

    context, page = phone(browser, stack, permissions=[])
    page.goto(f"/p/{day_centre.slug}/request/")
    fill_request(page)
    page.click("[data-geolocate-send]")
    page.wait_for_selector(".geolocate-status.error")
    assert "位置情報の利用が許可されませんでした" in page.inner_text("[data-geolocate-status]")
    page.locator("#field-position").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "public-request-position-denied-phone.png"))
    page.wait_for_timeout(3000)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/request/thanks/")
    context.close()
    assert Need.objects.get(centre=day_centre).lat is None
    assert page.errors == []


def test_a_page_over_plain_http_on_the_lan_says_why_there_is_no_position(browser, stack, day_centre):
    """Browsers give a position only to https pages or localhost: a phone on the shelter's Wi-Fi opening
    http://192.168.x.x is told so. Chromium treats 127.0.0.1 as secure, so the insecure origin is asked for."""
    context, page = phone(browser, stack, geolocation=HOUSE, permissions=["geolocation"])
    context.unroute(r"^https?://(?!127\.0\.0\.1[:/]).*")

    def from_the_server(route):
        """The LAN name answers with this server's page and files (the request form, its script and styles)."""
        path = route.request.url.removeprefix("http://vc.lan.test")
        path = f"/p/{day_centre.slug}/request/" if path == "/request/" else path
        route.fulfill(response=context.request.get(stack.server_url + path))

    page.route("http://vc.lan.test/**", from_the_server)
    page.goto("http://vc.lan.test/request/")
    assert page.evaluate("window.isSecureContext") is False
    page.click("[data-geolocate-send]")
    page.wait_for_selector(".geolocate-status.error")
    assert "https" in page.inner_text("[data-geolocate-status]")
    context.close()
