"""The leader's slip with no signal, in chromium (Playwright's offline mode), against the live server: a report
typed offline arrives once, a reload offline keeps the page and the typed text, a second phone is told the
report was already filed, and a resend after a lost answer files one report. Screenshots at 360 px:
offline-slip-waiting-phone.png, offline-slip-received-phone.png."""
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.dispatch.models import ReturnReport
from tests.offline import conftest_client as client
from tests.offline.conftest_client import fill_report, lose_answers, offline, outbox, worker_ready

centre, slip, phone, work_types, screenshot_dir = (client.centre, client.slip, client.phone, client.work_types,
                                                   client.screenshot_dir)  # the fixtures
pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def open_slip(page, record):
    page.goto(f"/s/{record.slip_token}/")
    worker_ready(page)


def test_a_report_typed_offline_arrives_once(phone, slip, screenshot_dir):
    page = phone()
    open_slip(page, slip)
    offline(page)
    fill_report(page)
    pressed = timezone.now()
    page.click("#report button.primary[type=submit]")
    page.wait_for_selector("[data-outbox-entry=waiting]")
    panel = page.inner_text("[data-outbox-panel]")
    assert "送信待ち: 活動報告（" in panel and "電波が戻ると自動で送信します" in panel
    page.locator("[data-outbox-panel]").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "offline-slip-waiting-phone.png")
    page.wait_for_timeout(2000)  # still offline: nothing arrives, the phone keeps trying
    assert ReturnReport.objects.filter(dispatch=slip).count() == 0
    assert [e["state"] for e in outbox(page)] == ["waiting"]

    offline(page, False)
    page.wait_for_selector("[data-outbox-entry=received]")
    page.wait_for_selector("#report-done:not([hidden])")
    assert page.locator("#report").is_hidden()
    assert "受信済み: 活動報告（" in page.inner_text("[data-outbox-panel]")
    page.screenshot(path=screenshot_dir / "offline-slip-received-phone.png")
    report = ReturnReport.objects.get(dispatch=slip)
    assert (report.work_done, float(report.hours)) == ("床下の泥出し", 2.5)
    # filed when it arrived, typed when the button was pressed
    assert pressed - timedelta(seconds=1) <= report.typed_at <= pressed + timedelta(seconds=2) < report.filed_at
    page.wait_for_timeout(1500)
    assert ReturnReport.objects.filter(dispatch=slip).count() == 1
    assert page.console_errors == []


def test_a_reload_while_offline_shows_the_kept_slip_and_the_typed_text(phone, slip):
    page = phone()
    open_slip(page, slip)
    offline(page)
    page.fill("#report textarea[name=work_done]", "土のう 40 袋")
    page.reload()
    assert slip.need.label in page.inner_text("h1")
    assert page.input_value("#report textarea[name=work_done]") == "土のう 40 袋"

    fill_report(page, work_done="土のう 40 袋、床下の泥出し")
    page.click("#report button.primary[type=submit]")
    page.wait_for_selector("[data-outbox-entry=waiting]")
    page.reload()  # still offline: the waiting report and the text are still there
    page.wait_for_selector("[data-outbox-entry=waiting]")
    assert page.input_value("#report textarea[name=work_done]") == "土のう 40 袋、床下の泥出し"

    offline(page, False)
    page.wait_for_selector("[data-outbox-entry=received]")
    assert ReturnReport.objects.get(dispatch=slip).work_done == "土のう 40 袋、床下の泥出し"
    assert page.console_errors == []


def test_a_second_phone_is_told_the_report_was_already_filed(phone, slip):
    first, second = phone(), phone()
    open_slip(first, slip)
    open_slip(second, slip)
    offline(second)
    fill_report(second, work_done="二台目の報告")
    second.click("#report button.primary[type=submit]")
    second.wait_for_selector("[data-outbox-entry=waiting]")

    fill_report(first, work_done="一台目の報告")
    first.click("#report button.primary[type=submit]")
    first.wait_for_selector("[data-outbox-entry=received]")

    offline(second, False)
    second.wait_for_selector("[data-outbox-entry=refused]")
    assert "別の端末からすでに提出されています" in second.inner_text("[data-outbox-panel]")
    assert [e["state"] for e in outbox(second)] == ["refused"]
    # the page no longer asks for a report it will never take, nor says the team is still at work
    assert second.locator("#report").is_hidden() and second.locator("#arrived-done").is_hidden()
    offline(second)
    second.reload()  # the phone's copy, made before the refusal, says the same
    second.wait_for_selector("[data-outbox-entry=refused]")
    assert second.locator("#report").is_hidden()
    second.wait_for_timeout(1500)  # refused: the phone stops trying
    assert ReturnReport.objects.get(dispatch=slip).work_done == "一台目の報告"


def test_a_resend_after_a_lost_answer_files_one_report(phone, slip):
    from ops.offline.models import Submission

    page = phone()
    open_slip(page, slip)
    answered = lose_answers(page, f"/s/{slip.slip_token}/")
    fill_report(page)
    page.click("#report button.primary[type=submit]")
    page.wait_for_function("() => JSON.parse(localStorage.getItem('dvc.outbox'))[0].tries >= 1")
    assert answered == [201]  # the server filed it; the phone never heard
    assert ReturnReport.objects.filter(dispatch=slip).count() == 1
    assert [e["state"] for e in outbox(page)] == ["waiting"]

    page.unroute(f"**/s/{slip.slip_token}/")
    page.click("[data-outbox-send]")  # 今すぐ送信
    page.wait_for_selector("[data-outbox-entry=received]")
    assert ReturnReport.objects.filter(dispatch=slip).count() == 1
    assert Submission.objects.filter(scope=f"/s/{slip.slip_token}/").count() == 1
    assert page.console_errors == []


def test_a_report_kept_past_its_csrf_cookie_fetches_a_fresh_token_and_arrives(phone, slip):
    page = phone()
    open_slip(page, slip)
    offline(page)
    fill_report(page)
    page.click("#report button.primary[type=submit]")
    page.wait_for_selector("[data-outbox-entry=waiting]")
    page.context.clear_cookies()  # the browser dropped the CSRF cookie while the report waited
    offline(page, False)
    page.wait_for_selector("[data-outbox-entry=received]")
    assert ReturnReport.objects.filter(dispatch=slip).count() == 1
