"""公開情報 in a real browser (Debian's chromium): a phone-width public board shows what staff save on the
recruitment page the moment they save it, without a reload and without horizontal scroll; a check-in moves
the figures but not "last updated"."""
import pytest

from ops.centres import services
from ops.centres.models import Base, Centre, Role
from ops.volunteers.services import check_in
from tests import factories
from tests.e2e.conftest import PASSWORD, PHONE, login, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def open_live(page, path):
    page.goto(path)
    page.wait_for_selector('#live-state[data-state="live"]')
    page.evaluate("window.__notReloaded = true")


def test_the_phone_board_shows_saved_public_information_live(new_page, screenshot_dir):
    centre = factories.make_centre(name="テスト市災害ボランティアセンター")
    services.set_profile(centre, name=centre.name, address="長野県テスト市中央1-2-3 市民体育館", phone="026-123-4567",
                         lat=centre.lat, lng=centre.lng)
    services.set_notices(centre, notice="駐車場は第2駐車場をご利用ください", what_to_bring="長靴、ゴム手袋、マスク、飲み物")
    services.set_volunteer_terms(centre, insurance_signup_url="https://example.jp/hoken", neighbour_cities="")
    Base.objects.create(centre=centre, name="東地区サテライト", kind=Base.Kind.SATELLITE, address="テスト市東町5-1",
                        lat=centre.lat, lng=centre.lng)
    factories.make_user(Role.ADMIN, centre, username="info-admin", password=PASSWORD)

    board = new_page(viewport=PHONE)
    open_live(board, f"/p/{centre.slug}/")
    assert board.locator(".pb-message").is_hidden() and board.locator(".pb-work").is_hidden()
    assert board.locator('a[data-tel]').get_attribute("href") == "tel:0261234567"
    changed = board.locator('[data-field="updated_at"]')
    first_stamp = changed.get_attribute("datetime")

    staff = new_page()
    login(staff, "info-admin")
    staff.goto(f"/c/{centre.slug}/board/recruitment/")
    staff.fill("#form-public_info textarea[name=public_info-work_today]", "泥出し・家財搬出（中央地区）")
    staff.fill("#form-public_info input[name=public_info-tomorrow_meeting_time]", "08:30")
    staff.fill("#form-public_info input[name=public_info-tomorrow_meeting_place]", "市民体育館 正面玄関")
    staff.fill("#form-public_info textarea[name=public_info-tomorrow_plan]", "引き続き中央地区の泥出し。雨天時は中止します。")
    staff.fill("#form-public_info input[name=public_info-status_message]", "本日の受付は終了しました。明日は8:30から受付します。")
    staff.click("#form-public_info button[type=submit]")
    staff.wait_for_selector(".messages")

    board.wait_for_selector('[data-info="message"]:text-is("本日の受付は終了しました。明日は8:30から受付します。")')
    assert board.locator(".pb-message").is_visible()
    assert board.locator('.pb-work [data-info="work_today"]').inner_text() == "泥出し・家財搬出（中央地区）"
    assert board.locator('[data-info="tomorrow.meeting_time"]').inner_text() == "08:30"
    assert board.locator('[data-info="tomorrow.meeting_place"]').inner_text() == "市民体育館 正面玄関"
    assert "雨天時は中止" in board.locator('[data-info="tomorrow.plan"]').inner_text()
    assert board.locator('[data-changed-block="work_today"]').inner_text().endswith("更新")
    assert board.locator(".pb-message .pb-changed").is_visible()
    stamp = Centre.objects.get(pk=centre.pk).public_changed["message"]
    assert stamp > first_stamp and changed.get_attribute("datetime") == stamp  # "last updated" moved live

    # A check-in moves the figures, not "last updated".
    updated = changed.inner_text()
    check_in(factories.make_volunteer(), centre, on=centre.today(), via="phone",
             health={"no_fever": True, "feeling_well": True, "rested": True}, insurance_confirmed=True)
    board.wait_for_selector('[data-field="volunteers_today"]:text-is("1")')
    assert changed.inner_text() == updated and changed.get_attribute("datetime") == stamp

    assert board.locator(".pb-book").count() >= 1  # the coming days take bookings: a link per day
    assert board.evaluate("window.__notReloaded") is True
    assert no_horizontal_scroll(board)
    assert board.console_errors == [] and staff.console_errors == []
    board.screenshot(path=screenshot_dir / "public-board-info-phone.png", full_page=True)
    staff.screenshot(path=screenshot_dir / "public-info-form-desktop.png", full_page=True)
