"""The key screens in English after the language switch in the top bar (the choice sticks to the browser)."""
import pytest

from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE, login, switch_to_english

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def heading(page, selector="h1") -> str:
    return " ".join(page.inner_text(selector).split())


def test_staff_screens_in_english(new_page, busy_centre, screenshot_dir):
    c = busy_centre["centre"].slug
    page = new_page(DESKTOP)
    login(page, "coordinator")
    page.goto(f"/c/{c}/needs/new/")
    assert heading(page) == "ニーズ受付票"  # Japanese first: the default
    assert page.locator("html").get_attribute("lang") == "ja"
    switch_to_english(page)
    assert heading(page) == "Needs card"
    page.screenshot(path=screenshot_dir / "en-intake-desktop.png", full_page=True)

    page.goto(f"/c/{c}/volunteers/poster/")
    assert heading(page, ".poster-title") == "Volunteer reception"
    date = heading(page, ".poster-date")
    assert date.isascii() and str(busy_centre["dispatch"].date.year) in date, date

    page.goto(f"/c/{c}/dispatch/teams/")
    assert heading(page).startswith("Teams")
    page.goto(f"/c/{c}/map/")
    page.wait_for_selector("#ready-h")
    assert page.title().startswith("Matching (map)")
    assert heading(page, "#ready-h") == "Ready teams (0)"
    assert page.inner_text("#dispatch-button").strip() != "選んだ班を送り出す"
    page.screenshot(path=screenshot_dir / "en-map-board-desktop.png")
    page.goto(f"/c/{c}/board/")
    page.wait_for_selector('#live-state[data-state="live"]')
    assert heading(page) == "Status board"
    page.screenshot(path=screenshot_dir / "en-staff-board-desktop.png", full_page=True)
    page.goto(f"/c/{c}/reports/")
    assert heading(page, "h2").startswith("Today's report")
    page.screenshot(path=screenshot_dir / "en-report-desktop.png", full_page=True)
    assert page.console_errors == []


def test_phone_screens_in_english(new_page, busy_centre, screenshot_dir):
    from ops.volunteers import codes

    centre, record = busy_centre["centre"], busy_centre["dispatch"]
    newcomer = factories.make_volunteer(name="Mia Kato", kana="KATO MIA", prefecture="Nagano", city="Riverside")
    page = new_page(PHONE)
    page.goto(f"/p/{centre.slug}/volunteers/register/")
    assert heading(page) == "ボランティア登録"
    switch_to_english(page)
    assert heading(page) == "Volunteer registration"
    prefectures = page.locator("select[name=prefecture] option").all_inner_texts()
    assert len(prefectures) == 47 and "Nagano" in prefectures and "Okinawa" in prefectures, prefectures[:5]
    page.goto(f"/v/{newcomer.token}/")
    page.goto(f"/p/{centre.slug}/checkin/{codes.daily_code(centre, centre.today())}/")
    assert heading(page) == "Today's check-in"
    page.screenshot(path=screenshot_dir / "en-checkin-phone.png", full_page=True)
    page.goto(f"/s/{record.slip_token}/")
    assert heading(page) == f"Dispatch slip {record.team.label} → {record.need.label}"
    assert heading(page, "#report h2") == "Return report (fill in when back)"
    page.screenshot(path=screenshot_dir / "en-slip-phone.png", full_page=True)
    page.goto(f"/p/{centre.slug}/")
    page.wait_for_selector('#live-state[data-state="live"]')
    assert heading(page, ".pb-figures h2") == "Activity"
    assert heading(page, ".pb-recruit h2") == "Volunteers wanted from tomorrow"
    # The count and its unit read as words: "2 people", "1 requests" (not "2people").
    assert heading(page, ".pb-counters div:first-child dd") == "2 people"
    assert heading(page, ".pb-counters div:last-child dd") == "2 requests"
    page.screenshot(path=screenshot_dir / "en-public-board-phone.png", full_page=True)
    assert page.console_errors == []
