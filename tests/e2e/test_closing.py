"""閉所 in a real browser: the administrator reads what is still open, types the centre's name, closes; the
public board open at the entrance says the centre has closed, live."""
from datetime import timedelta
from pathlib import Path

import pytest

from ops.centres.models import Centre, Role
from ops.volunteers.models import Booking
from ops.volunteers.services import book
from tests import factories
from tests.e2e.conftest import DESKTOP, login, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_administrator_closes_the_centre_and_the_public_board_follows(new_page, day_centre, staff_user,
                                                                            screenshot_dir):
    centre = day_centre
    staff_user(Role.ADMIN, "admin")
    factories.make_need(centre, requester_name="Hanako Yamada", district="Chuo")
    booking = book(factories.make_volunteer(name="Aya Mori", email="aya@example.jp"), centre,
                   on=centre.today() + timedelta(days=1))

    board = new_page(DESKTOP)
    board.goto(f"/p/{centre.slug}/")
    board.wait_for_selector('#live-state[data-state="live"]')
    assert board.locator("[data-closed-notice]").is_hidden()

    page = new_page(DESKTOP)
    login(page, "admin")
    page.goto(f"/c/{centre.slug}/exports/")
    assert page.locator("#export-needs").is_visible() and page.locator("#export-tool-loans").is_visible()
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "exports-desktop.png", full_page=True)
    with page.expect_download() as downloading:
        page.locator("#export-needs button[value=csv]").click()
    assert downloading.value.suggested_filename == f"{centre.slug}-needs.csv"
    assert Path(downloading.value.path()).read_bytes().startswith("\ufeff".encode())  # UTF-8 with BOM
    page.goto(f"/c/{centre.slug}/close/")
    assert "1" in page.inner_text("#left-needs") and "1" in page.inner_text("#left-bookings")
    assert page.locator("#handover-open-needs").is_visible() and page.locator("#handover-welfare-cases").is_visible()
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "close-01-still-open-desktop.png", full_page=True)

    page.fill("#confirm_name", "Riverside")  # not the whole name
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("#close-form [role=alert]")
    assert Centre.objects.get(pk=centre.pk).status == Centre.Status.OPEN
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.console_errors.clear()  # the refused form is answered 400, on purpose

    page.fill("#confirm_name", centre.name)
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("#closed-notice")
    due = (centre.today() + timedelta(days=90)).isoformat()
    assert due in page.inner_text("#closed-notice")
    page.screenshot(path=screenshot_dir / "close-02-closed-desktop.png", full_page=True)

    board.wait_for_selector("[data-closed-notice]:not([hidden])")
    assert "このセンターは閉所しました" in board.inner_text("[data-closed-notice]")
    assert board.locator(".pb-recruit").is_hidden()  # no recruitment or places left at a closed centre
    board.screenshot(path=screenshot_dir / "close-03-public-board-desktop.png", full_page=True)
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    assert Booking.objects.open().filter(centre=centre).count() == 0
    assert page.console_errors == [] and board.console_errors == []
