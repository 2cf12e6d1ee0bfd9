"""Browser fixtures: Debian's chromium driven by Playwright (never `playwright install`), against the
session `stack` (real uvicorn, Redis, Celery worker on the test database). Screenshots go to
$SCREENSHOT_DIR (default test-artifacts/screenshots), named in the README."""
import os
import shutil
from pathlib import Path

import pytest

from harness.stack import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}

# Playwright's sync API keeps an event loop in this thread; the ORM calls in these tests are plain
# synchronous set-up against the test database, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def screenshot_dir():
    path = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-artifacts" / "screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: make test installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, stack):
    """new_page(viewport=PHONE|DESKTOP, locale='ja-JP') -> a page in a fresh context on the live server."""
    contexts = []

    def make(viewport=DESKTOP, locale="ja-JP"):
        context = browser.new_context(viewport=viewport, locale=locale, base_url=stack.server_url,
                                      is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


def login(page, username, password="correct-horse-battery"):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
