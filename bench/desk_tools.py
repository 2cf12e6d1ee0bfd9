"""Bench part: the tool desk's lend time, `lend_s` of bench/desk.py's JSON line.

measure_lend opens the tool desk (/c/<centre>/desk/tools/) in Debian's chromium whose camera is a fake one
(tests/desk/fakecam.py: a Y4M of QR codes played as the webcam), shows it a team's code, then five tool labels,
and answers the seconds from the first code the page read to the fifth tool lent (the page's own clock:
window.DeskTools.log, performance.now()). The codes pass through the real scanner.js + jsQR (or the browser's
BarcodeDetector), the desk's JSON endpoint and ops.dispatch.services.equipment, as at the desk.

    from bench.desk_tools import measure_lend, prepare_lend
    team_code, tool_codes = prepare_lend(centre, team)           # Django set up: 3 numbered + 2 kind labels
    lend_s = measure_lend(base_url, centre.slug, cookies, tmp_dir, team_code=team_code, tool_codes=tool_codes)

Arguments: base_url of the running server ("http://127.0.0.1:8000"); centre_slug; cookies: the signed-in
browser's cookies as (name, value) pairs, e.g. [("sessionid", ...)] for staff with Cap.DISPATCH, or the
volunteer identity cookie of a volunteer with the tool desk in force; tmp: a directory for the Y4M file;
team_code: what names the team (its slip URL, a member's personal link, or "T-03"); tool_codes: five label
codes (ops.desk.codes.item_code / kind_code). Chromium runs in a thread of its own (Playwright's sync API
allows one instance per thread; a test run may already hold one). Raises RuntimeError when the five were not
lent within `timeout` seconds (the refusals the page showed are in the message).
"""
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.desk import fakecam  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SHOW_S, GAP_S, LEAD_S = 0.6, 0.3, 1.5  # each code on camera, blank between, blank while the page starts


def prepare_lend(centre, team, *, by=None) -> tuple[str, list[str]]:
    """Tools for one run at `centre` (Django set up): three numbered 発電機 and two kind labels (スコップ ×5,
    バケツ); returns (team_code, five tool codes). Each call adds kinds of fresh names."""
    import secrets

    from ops.desk import codes
    from ops.dispatch.services import ledger

    tag = secrets.token_hex(2)
    generators = ledger.add_kind(centre=centre, name=f"発電機 {tag}", unit="台", quantity=3, by=by)
    items = ledger.add_items(kind=generators, count=3, by=by)
    shovels = ledger.add_kind(centre=centre, name=f"スコップ {tag}", unit="本", quantity=10, by=by)
    buckets = ledger.add_kind(centre=centre, name=f"バケツ {tag}", unit="個", quantity=10, by=by)
    tool_codes = [codes.item_code(i) for i in items] + [codes.kind_code(shovels, 5), codes.kind_code(buckets)]
    return team.label, tool_codes


def measure_lend(base_url, centre_slug, cookies, tmp, *, team_code, tool_codes, timeout=60.0,
                 chromium=None, after=None) -> float:
    """`after(page)`, if given, runs on the desk's page once the five are lent (a test's checks, a screenshot),
    in chromium's thread; what it raises is raised here."""
    shots = [(None, LEAD_S), (team_code, SHOW_S)]
    for code in tool_codes:
        shots += [(None, GAP_S), (code, SHOW_S)]
    video = fakecam.video(Path(tmp) / "desk-tools.y4m", [*shots, (None, timeout + 30)])
    chromium = chromium or shutil.which("chromium") or "/usr/bin/chromium"
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_run, base_url, centre_slug, list(cookies), video, len(tool_codes), timeout,
                           chromium, after).result()


def _run(base_url, centre_slug, cookies, video, tools, timeout, chromium, after) -> float:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=CHROMIUM_ARGS + fakecam.flags(video))
        try:
            context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 640})
            context.add_cookies([{"name": n, "value": v, "url": base_url} for n, v in cookies])
            context.grant_permissions(["camera"], origin=base_url)
            page = context.new_page()
            page.goto(f"/c/{centre_slug}/desk/tools/")
            try:
                page.wait_for_function("(n) => window.DeskTools && window.DeskTools.log.filter(e => e.changed).length >= n",
                                       arg=tools, timeout=timeout * 1000)
            except PlaywrightTimeout:
                said = page.locator("#tool-desk-message").inner_text()
                raise RuntimeError(f"the tool desk lent fewer than {tools} tools in {timeout} s: {said}") from None
            first, lent = page.evaluate(
                "() => [window.DeskTools.firstScanAt, window.DeskTools.log.filter(e => e.changed).map(e => e.at)]")
            if after is not None:
                after(page)
            return round((lent[tools - 1] - first) / 1000, 3)
        finally:
            browser.close()
