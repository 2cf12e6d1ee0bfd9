"""The settings page in chromium: saved changes reach the open public board without a reload (its name,
reception hours; a date's capacity and a closed day through the snapshot it reloads), and the page works
when no map tile can be loaded (the latitude and longitude fields are the truth)."""
from datetime import timedelta

import pytest

from ops.centres.models import CapacityDay, Centre, Role
from tests import factories
from tests.boards.test_boards_in_browser import open_live
from tests.e2e.conftest import PASSWORD, PHONE, login, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_settings_reach_the_public_board_live(new_page, screenshot_dir):
    centre = factories.make_centre(daily_capacity=30, name="テスト市災害ボランティアセンター")
    factories.make_user(Role.ADMIN, centre, username="settings-admin", password=PASSWORD,
                        last_name="設定", first_name="花子", email="admin@example.jp")
    board = new_page(viewport=PHONE)
    open_live(board, f"/p/{centre.slug}/")
    assert board.locator('[data-field="hours"]').inner_text() == "08:30–16:00"

    staff = new_page()
    login(staff, "settings-admin")
    staff.goto(f"/c/{centre.slug}/settings/")
    staff.screenshot(path=screenshot_dir / "centre-settings-ja.png", full_page=True)
    staff.fill("#form-hours input[name=hours-activity_start]", "08:00")
    staff.click("#form-hours button[type=submit]")
    staff.wait_for_selector(".messages")
    board.wait_for_selector('[data-field="hours"]:text-is("08:00–16:00")')

    staff.fill("#form-profile input[name=profile-name]", "川辺町災害ボランティアセンター")
    staff.fill("#form-profile input[name=profile-lat]", "36.7")  # typed: works without tiles
    staff.click("#form-profile button[type=submit]")
    staff.wait_for_selector(".messages")
    board.wait_for_selector('[data-field="name"]:text-is("川辺町災害ボランティアセンター")')
    assert Centre.objects.get(pk=centre.pk).lat == 36.7

    tomorrow = centre.today() + timedelta(days=1)
    row = f'#days-body tr[data-date="{tomorrow.isoformat()}"]'
    staff.goto(f"/c/{centre.slug}/settings/capacity/")
    staff.fill("input[name=date]", tomorrow.isoformat())
    staff.check("input[name=closed]")
    staff.click("#form-capacity button[type=submit]")
    staff.wait_for_selector(".messages")
    assert CapacityDay.objects.get().closed
    board.wait_for_selector(f"{row}.closed-day")
    assert board.locator(f"{row} td").last.inner_text() == "休止日"

    assert board.evaluate("window.__notReloaded") is True
    assert board.console_errors == [] and staff.console_errors == []
    assert no_horizontal_scroll(board)


def test_the_settings_page_on_a_phone_without_horizontal_scroll(new_page, screenshot_dir):
    centre = factories.make_centre()
    factories.make_user(Role.ADMIN, centre, username="phone-admin", password=PASSWORD)
    page = new_page(viewport=PHONE)
    login(page, "phone-admin")
    page.goto(f"/c/{centre.slug}/settings/bases/")
    box = page.locator(".map").bounding_box()
    # A tap up and right of the middle (clear of the zoom buttons) places the pin and fills the fields, tiles or not.
    page.click(".map", position={"x": box["width"] - 40, "y": 40})
    lat, lng = float(page.input_value("input[name=lat]")), float(page.input_value("input[name=lng]"))
    assert lat > centre.lat and lng > centre.lng
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "centre-bases-ja-phone.png", full_page=True)
