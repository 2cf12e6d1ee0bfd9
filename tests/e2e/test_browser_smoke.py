"""The browser can reach the live server, the pages render in Japanese and English, and fit a phone."""
import pytest

from tests.e2e.conftest import PHONE, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


# A set-up installation (day_centre): an empty one leads every page to /setup/ (tests/e2e/test_first_run.py).
def test_login_page_in_japanese_on_a_phone_without_horizontal_scroll(new_page, day_centre, screenshot_dir):
    page = new_page(viewport=PHONE)
    page.goto("/accounts/login/")
    assert page.locator("h1").inner_text() == "スタッフログイン"
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "login-ja-phone.png", full_page=True)
    assert page.console_errors == []


def test_language_switch_shows_english(new_page, day_centre, screenshot_dir):
    page = new_page()
    page.goto("/accounts/login/")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Staff login"
    page.screenshot(path=screenshot_dir / "login-en-desktop.png")
