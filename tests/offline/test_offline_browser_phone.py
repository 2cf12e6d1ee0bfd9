"""The volunteer's check-out and the resident's request with no signal, in chromium against the live server:
each is kept on the phone, sent once when the signal returns, and the check-out counts at the time it was
pressed, not when it arrived."""
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.needs.models import Need
from tests.offline import conftest_client as client
from tests.offline.conftest_client import offline, outbox, worker_ready

centre, checked_in, phone, work_types = client.centre, client.checked_in, client.phone, client.work_types
pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_check_out_offline_then_online_counts_at_the_time_it_was_pressed(phone, checked_in):
    attendance = checked_in
    page = phone()
    page.goto(f"/v/{attendance.volunteer.token}/")
    worker_ready(page)
    offline(page)
    page.reload()  # the kept copy of the personal page
    page.wait_for_selector("form[data-outbox=checkout]")
    pressed = timezone.now()
    page.click("form[data-outbox=checkout] button[type=submit]")
    page.wait_for_selector("[data-outbox-entry=waiting]")
    assert "送信待ち: 活動終了の記録（" in page.inner_text("[data-outbox-panel]")
    page.wait_for_timeout(3000)
    attendance.refresh_from_db()
    assert attendance.checked_out_at is None

    offline(page, False)
    page.wait_for_selector("[data-outbox-entry=received]")
    attendance.refresh_from_db()
    assert pressed - timedelta(seconds=1) <= attendance.checked_out_at <= pressed + timedelta(seconds=2)
    assert page.locator("form[data-outbox=checkout]").is_hidden()
    assert page.console_errors == []


def fill_request(page):
    page.fill("input[name=requester_name]", "山田 花子")
    page.fill("input[name=phone]", "090-1111-2222")
    page.fill("input[name=address]", "テスト市中央1-2-3")
    page.check("input[name=work_types][value=mud]")
    page.fill("textarea[name=description]", "床下に泥がたまっています")
    page.check("input[name=consent]")


def test_the_resident_form_typed_offline_arrives_once(phone, centre):
    page = phone()
    page.goto(f"/p/{centre.slug}/request/")
    worker_ready(page)
    offline(page)
    fill_request(page)
    page.reload()  # what was typed stays on the phone
    assert page.input_value("textarea[name=description]") == "床下に泥がたまっています"
    page.wait_for_timeout(3000)  # a person takes longer than the form's anti-bot minimum
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-outbox-entry=waiting]")
    assert "送信待ち: お手伝いの依頼（" in page.inner_text("[data-outbox-panel]")
    assert Need.objects.filter(centre=centre).count() == 0

    offline(page, False)
    page.wait_for_url("**/request/thanks/")  # the number and private link, as after a plain send
    need = Need.objects.get(centre=centre)
    assert (need.requester_name, need.description) == ("山田 花子", "床下に泥がたまっています")
    assert [e["state"] for e in outbox(page)] == ["received"]
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('dvc.draft:'))") == []
    page.wait_for_timeout(1500)
    assert Need.objects.filter(centre=centre).count() == 1
    assert page.console_errors == []


def test_a_request_whose_page_expired_is_sent_again_with_a_fresh_stamp(phone, centre):
    page = phone()
    page.goto(f"/p/{centre.slug}/request/")
    worker_ready(page)
    fill_request(page)
    page.evaluate("() => { document.querySelector('input[name=stamp]').value = 'kept-for-days'; }")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/request/thanks/", timeout=20000)  # refused once for the stamp, sent again 4 s later
    assert Need.objects.filter(centre=centre).count() == 1


def test_a_request_refused_for_a_missing_field_shows_the_error_there_and_keeps_the_text(phone, centre):
    page = phone()
    page.goto(f"/p/{centre.slug}/request/")
    worker_ready(page)
    offline(page)
    fill_request(page)
    page.fill("input[name=phone]", "")
    page.wait_for_timeout(3000)
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-outbox-entry=waiting]")
    offline(page, False)
    page.wait_for_selector("[data-outbox-entry=invalid]")
    assert page.locator("#field-phone .outbox-error").inner_text() == "この項目は必須です。"
    assert page.input_value("textarea[name=description]") == "床下に泥がたまっています"
    assert Need.objects.filter(centre=centre).count() == 0

    page.fill("input[name=phone]", "090-1111-2222")  # corrected and sent again: it arrives
    page.click("button[type=submit].primary")
    page.wait_for_url("**/request/thanks/")
    assert Need.objects.filter(centre=centre).count() == 1
