"""The council's widget in chromium, embedded the way a council does it: a page on another origin (a second HTTP
server here) with a strict CSP (default-src 'none'; script and frame from our origin only; style-src 'none')
carries embed.js's script tag. The iframe appears, shows the centre, is sized by the widget's postMessage (and by
no one else's), breaks none of the page's CSP, scrolls nothing sideways at phone width, and follows a change
staff save within its poll. The same page may read our public JSON across origins (CORS)."""
import http.server
import re
import threading
from datetime import time, timedelta

import pytest

from ops.centres import services, suspension
from ops.centres.models import Suspension
from ops.volunteers.services import register_group
from tests import factories
from tests.e2e.conftest import PHONE, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Registered before any page script, in the council page and in the widget's frame alike.
WATCH_CSP = """window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});"""

COUNCIL_PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>川辺町 公式サイト</title></head>
<body>
<h1>川辺町からのお知らせ</h1>
<p>令和8年7月豪雨の被災者支援について、川辺町災害ボランティアセンターの最新情報をお知らせします。</p>
<script src="{origin}/static/boards/embed.js" data-centre="{slug}"{extra} async></script>
<p>問い合わせ先: 川辺町役場 総務課</p>
</body></html>"""


def council_csp(origin: str) -> str:
    return (f"default-src 'none'; script-src {origin}; frame-src {origin}; style-src 'none'; "
            f"connect-src {origin}; img-src 'none'")


class CouncilSite:
    """A council's web server on another origin (127.0.0.1, another port): one page, under a strict CSP."""

    def __init__(self, our_origin: str):
        self.pages: dict[str, bytes] = {}
        csp = council_csp(our_origin)
        pages = self.pages

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                body = pages.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Security-Policy", csp)
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def page(self, path: str, html: str) -> str:
        self.pages[path] = html.encode()
        return self.origin + path

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def council(stack):
    site = CouncilSite(stack.server_url)
    yield site
    site.close()


@pytest.fixture
def centre():
    centre = factories.make_centre(name="川辺町災害ボランティアセンター", daily_capacity=30)
    services.set_profile(centre, name=centre.name, address="川辺町中央1-2-3 町民体育館", phone="0261-22-1234",
                         lat=centre.lat, lng=centre.lng)
    services.set_public_info(centre, work_today="中央地区で床下の泥出しをしています。",
                             tomorrow_meeting_time=time(8, 30), tomorrow_meeting_place="町民体育館 駐車場",
                             tomorrow_plan="泥出しと家財の運び出し", status_message="本日の受付は終了しました")
    register_group(centre=centre, name="松本建設", leader_name="代表 一郎", leader_kana="ダイヒョウ イチロウ",
                   phone="090-1111-2222", member_count=8, age_band="40s", prefecture="長野県", city="松本市",
                   on=centre.today() + timedelta(days=1))
    return centre


@pytest.fixture
def phone(browser, stack):
    """A phone's page in a context of its own without request interception: the fixtures' new_page routes
    off-site requests, and Playwright turns the browser's HTTP cache off while any route is set; the widget's
    conditional polls need it on, as in a visitor's browser."""
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


def embedded(page, council, stack, centre, *, extra=' data-poll="2"'):
    """Open the council's page with the embed tag; returns (iframe element, its frame) once the widget is up."""
    url = council.page(f"/{centre.slug}.html", COUNCIL_PAGE.format(origin=stack.server_url, slug=centre.slug,
                                                                  extra=extra))
    page.add_init_script(WATCH_CSP)
    page.goto(url)
    element = page.wait_for_selector("iframe.dvc-widget")
    frame = element.content_frame()
    frame.wait_for_selector("#widget")
    return element, frame


def widget_polls(requests) -> list:
    return [r for r in requests if "/widget/" in (r.headers.get("referer") or "")]


def iframe_height(page) -> float:
    return page.evaluate("document.querySelector('iframe.dvc-widget').getBoundingClientRect().height")


def test_a_council_page_under_a_strict_csp_embeds_the_widget(phone, council, stack, centre, screenshot_dir):
    page = phone
    polls = []
    page.on("request", lambda r: r.url.endswith(f"/p/{centre.slug}/board.json") and polls.append(r))
    element, frame = embedded(page, council, stack, centre)

    assert element.get_attribute("src") == f"{stack.server_url}/p/{centre.slug}/widget/?poll=2"
    assert element.get_attribute("loading") == "lazy"
    text = frame.inner_text("#widget")
    for shown in ("川辺町災害ボランティアセンター", "開設中", "募集中", "本日の受付は終了しました", "0261-22-1234",
                  "中央地区で床下の泥出しをしています。", "08:30", "町民体育館 駐車場", "22人", "予約する", "最終更新"):
        assert shown in text, shown

    # Sized by the widget's own message: as tall as its content, nothing to scroll inside.
    page.wait_for_function("document.querySelector('iframe.dvc-widget').getBoundingClientRect().height !== 480")
    content = frame.evaluate("Math.ceil(document.getElementById('widget').getBoundingClientRect().height)")
    assert iframe_height(page) > 150
    assert abs(iframe_height(page) - content) <= 1, (iframe_height(page), content)
    assert frame.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
    assert "川辺町災害ボランティアセンター" in element.get_attribute("title")  # the widget's title, in its language
    # A message from anyone else (here: the council page itself) moves nothing.
    before = iframe_height(page)
    page.evaluate("window.postMessage({type: 'dvc-widget-height', height: 3000}, '*')")
    page.wait_for_timeout(300)
    assert iframe_height(page) == before

    assert no_horizontal_scroll(page)
    assert frame.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=screenshot_dir / "widget-council-page-phone.png", full_page=True)

    # The council page may read the public JSON itself, across origins (its CSP: connect-src our origin).
    answers = page.evaluate("""async (urls) => Promise.all(urls.map(async (u) => {
        const r = await fetch(u); const body = await r.json(); return [r.status, body.name]; }))""",
                            [f"{stack.server_url}/p/{centre.slug}/board.json",
                             f"{stack.server_url}/api/v1/public/centres/{centre.slug}/status/"])
    assert answers == [[200, centre.name], [200, centre.name]]

    # The widget's polls revalidate what the browser holds (If-None-Match: the ETag) and carry no cookie.
    for _ in range(50):
        if len(widget_polls(polls)) >= 2:
            break
        page.wait_for_timeout(200)
    sent = [r.all_headers() for r in widget_polls(polls)]
    assert len(sent) >= 2 and "if-none-match" in sent[-1], sent
    assert not any("cookie" in h for h in sent)

    # Staff change the message: the widget shows it at its next poll.
    services.set_public_info(centre, work_today=centre.work_today, tomorrow_meeting_time=time(8, 30),
                             tomorrow_meeting_place="町民体育館 駐車場", tomorrow_plan="泥出しと家財の運び出し",
                             status_message="明日は大雨のため活動を中止します")
    frame.wait_for_selector('[data-field="message"]:text-is("明日は大雨のため活動を中止します")', timeout=10000)
    assert re.fullmatch(r"[1-9]\d?/[1-9]\d? \d\d:\d\d", frame.inner_text('[data-field="updated_at"]'))
    # 活動中止 for tomorrow: the banner, and the day takes no booking.
    tomorrow = centre.today() + timedelta(days=1)
    suspension.suspend(centre, day=tomorrow, starts_at=None, reason=Suspension.Reason.HEAVY_RAIN, note="土砂災害警戒")
    row = f'#w-days tr[data-date="{tomorrow.isoformat()}"]'
    frame.wait_for_selector(f'{row} [data-cell="rest"]:text-is("活動中止")', timeout=10000)
    assert frame.locator(f"{row} a").count() == 0
    assert "大雨" in frame.inner_text("[data-suspensions]") and "土砂災害警戒" in frame.inner_text("[data-suspensions]")
    page.wait_for_timeout(300)  # the taller widget has told the page
    assert abs(iframe_height(page) - frame.evaluate(
        "Math.ceil(document.getElementById('widget').getBoundingClientRect().height)")) <= 1
    page.screenshot(path=screenshot_dir / "widget-council-page-suspended-phone.png", full_page=True)

    assert page.evaluate("window.__violations") == []
    assert frame.evaluate("window.__violations") == []
    assert page.console_errors == []


def test_the_embed_takes_a_language_and_a_fixed_height(new_page, council, stack, centre, screenshot_dir):
    page = new_page(viewport=PHONE)
    element, frame = embedded(page, council, stack, centre, extra=' data-lang="en" data-height="300"')
    assert frame.evaluate("document.documentElement.lang") == "en"
    assert "Reception hours" in frame.inner_text("#widget")
    page.wait_for_timeout(500)  # the widget has posted its height by now: a fixed height ignores it
    assert iframe_height(page) == 300
    assert no_horizontal_scroll(page)
    assert page.evaluate("window.__violations") == [] and page.console_errors == []


@pytest.mark.parametrize("width", [280, 360, 480])
def test_the_widget_fits_a_phone_from_280_to_480_px(new_page, centre, width, screenshot_dir):
    page = new_page(viewport={"width": width, "height": 720})
    page.goto(f"/p/{centre.slug}/widget/")
    page.wait_for_selector("#widget")
    assert no_horizontal_scroll(page), width
    # Every box stays inside the width (a long name or address wraps).
    wider = page.evaluate("""(w) => Array.from(document.querySelectorAll('#widget *'))
        .filter(el => el.getBoundingClientRect().right > w + 1).map(el => el.tagName + '.' + el.className)""", width)
    assert wider == []
    page.screenshot(path=screenshot_dir / f"widget-{width}px.png", full_page=True)
    if width == 360:
        page.goto(f"/p/{centre.slug}/widget/?lang=en")
        page.wait_for_selector("#widget")
        assert no_horizontal_scroll(page)
        page.screenshot(path=screenshot_dir / "widget-360px-en.png", full_page=True)
    assert page.console_errors == []
