"""募集のお知らせ in a real browser: the registration form with the wish and the weekdays, the volunteer's page
where they change both, and the administrator's calls page (preview count, send, past calls)."""
import re

import pytest

from ops.centres.models import Role
from ops.volunteers.models import RecruitmentCall, Volunteer
from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE, login, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_volunteer_registers_for_weekend_calls_and_changes_them(new_page, day_centre, screenshot_dir):
    phone = new_page(PHONE)
    phone.goto(f"/p/{day_centre.slug}/volunteers/register/")
    assert phone.is_checked("input[name=wants_calls]")  # offered ticked; one link in each mail stops them
    phone.fill("input[name=name]", "鈴木 花子")
    phone.fill("input[name=kana]", "スズキ ハナコ")
    phone.fill("input[name=phone]", "080-7777-8888")
    phone.fill("input[name=email]", "hanako@example.jp")
    phone.select_option("select[name=age_band]", Volunteer.AgeBand.THIRTIES)
    phone.fill("input[name=city]", day_centre.municipality)
    phone.fill("input[name=emergency_name]", "鈴木 次郎（夫）")
    phone.fill("input[name=emergency_phone]", "080-4444-5555")
    phone.select_option("select[name=insurance]", Volunteer.Insurance.ENROLLED)
    phone.check("input[name=available_weekdays][value='5']")
    phone.check("input[name=available_weekdays][value='6']")
    phone.locator("input[name=wants_calls]").scroll_into_view_if_needed()
    phone.screenshot(path=str(screenshot_dir / "volunteer-register-calls.png"), full_page=True)
    assert no_horizontal_scroll(phone)
    phone.check("input[name=privacy]")
    phone.click("main button.primary[type=submit]")
    phone.wait_for_url(re.compile(r"/v/[^/]+/$"))
    volunteer = Volunteer.objects.get(email="hanako@example.jp")
    assert volunteer.wants_calls and volunteer.available_weekdays == [5, 6]
    phone.locator("form[action$='/calls/']").scroll_into_view_if_needed()
    phone.screenshot(path=str(screenshot_dir / "volunteer-personal-calls.png"))
    phone.uncheck("form[action$='/calls/'] input[name=wants_calls]")
    phone.click("form[action$='/calls/'] button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "募集のお知らせの設定を保存しました" in phone.inner_text(".messages")
    volunteer.refresh_from_db()
    assert not volunteer.wants_calls and volunteer.available_weekdays == [5, 6]


def test_an_administrator_previews_and_sends_a_call(new_page, day_centre, screenshot_dir):
    admin = factories.make_user(Role.ADMIN, day_centre)
    for i in range(12):
        factories.make_volunteer(email=f"v{i}@example.jp", registered_centre=day_centre,
                                 prefecture=day_centre.prefecture, city=day_centre.municipality)
    page = new_page(DESKTOP)
    login(page, admin.username)
    page.goto(f"/c/{day_centre.slug}/volunteers/calls/")
    page.locator("input[name=days]").nth(1).check()
    page.locator("input[name=days]").nth(2).check()
    page.click("button[value=preview]")
    page.wait_for_selector(".reach")
    assert "12人に届きます" in page.inner_text(".reach")
    page.screenshot(path=str(screenshot_dir / "volunteer-calls-preview.png"), full_page=True)
    page.click("button[value=send]")
    page.wait_for_url(re.compile(r"/volunteers/calls/$"))
    assert "募集のお知らせを12人に送ります" in page.inner_text(".messages")
    assert RecruitmentCall.objects.get().recipients_count == 12
    page.reload()
    page.screenshot(path=str(screenshot_dir / "volunteer-calls.png"), full_page=True)
    assert no_horizontal_scroll(page)
