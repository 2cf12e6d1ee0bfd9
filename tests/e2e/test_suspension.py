"""活動中止 in real browsers, against the real stack (uvicorn, Redis, PostgreSQL, Celery): a coordinator suspends
the afternoon on the suspension page; the leader's slip, open on a phone, shows the return call without a
reload; the public board says so, live; the booked volunteers' mails arrive at a real SMTP server (aiosmtpd)
through a real worker. Screenshots: suspension-1-staff-page, suspension-2-slip-return-call-phone,
suspension-3-public-board, suspension-4-staff-board."""
import email
from email.header import decode_header, make_header

import pytest
from django.urls import reverse

from harness import Stack, free_port
from ops.centres.models import Suspension
from ops.messages.models import OutboundMail
from ops.volunteers.models import Booking
from tests import factories
from tests.conftest import _database_url
from tests.e2e.conftest import DESKTOP, PHONE, login, no_horizontal_scroll
from tests.smtp import smtp_server

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_staff_suspend_the_afternoon_and_the_field_the_public_and_the_booked_are_told(
        new_page, stack, busy_centre, screenshot_dir, django_db_blocker):
    centre, record, shots = busy_centre["centre"], busy_centre["dispatch"], screenshot_dir
    today = centre.today()
    # Two volunteers booked for today (book() takes tomorrow onward: these were booked yesterday).
    booked = [factories.make_volunteer(name=name, kana=name.upper(), email=address, prefecture="Nagano",
                                       city="Riverside")
              for name, address in (("Mei Ono", "mei@example.jp"), ("Taro Ito", "taro@example.jp"))]
    for volunteer in booked:
        Booking.objects.create(volunteer=volunteer, centre=centre, date=today)

    # The mail goes through a worker whose SMTP is our aiosmtpd (the session's worker prints to the console).
    port = free_port()
    smtp, inbox = smtp_server(port)
    with django_db_blocker.unblock():
        db_url = _database_url()
    mail_worker = Stack(postgres=False, redis=False)
    stack.stop_process("worker")
    try:
        mail_worker.start_worker(env=stack.env(EMAIL_URL=f"smtp://127.0.0.1:{port}", DATABASE_URL=db_url),
                                 name="mailworker")

        # The leader's slip on a phone, and the public board at the entrance, both open before the call.
        slip = new_page(PHONE)
        slip.goto(reverse("dispatch:slip", kwargs={"token": record.slip_token}))
        slip.wait_for_selector('#slip-live[data-state="live"]', state="attached")
        slip.evaluate("window.__sameDocument = true")
        assert slip.locator(".return-call").count() == 0
        public = new_page(DESKTOP)
        public.goto(f"/p/{centre.slug}/")
        public.wait_for_selector('#live-state[data-state="live"]')
        public.evaluate("window.__sameDocument = true")
        assert public.locator("[data-suspensions]").is_hidden()

        # The coordinator suspends from 13:00 for the heat alert.
        staff = new_page(DESKTOP)
        login(staff, "coordinator")
        staff.goto(f"/c/{centre.slug}/board/")
        staff.click("a[href$='/suspension/']")
        staff.check("input[name=span][value=from_time]")
        staff.fill("input[name=starts_at]", "13:00")
        staff.select_option("select[name=reason]", "heat_alert")
        staff.fill("input[name=note]", "WBGT 33")
        staff.click("#suspend-form button[type=submit]")
        staff.wait_for_selector(".messages .msg-success")
        assert "2" in staff.inner_text(".messages")  # two mails queued
        staff.screenshot(path=shots / "suspension-1-staff-page-desktop.png", full_page=True)
        suspension = Suspension.objects.get(centre=centre)
        assert suspension.starts_at.strftime("%H:%M") == "13:00" and suspension.reason == "heat_alert"

        # The slip shows the return call live, on the same document.
        slip.wait_for_selector(".return-call", timeout=10000)
        call = slip.inner_text("[data-suspensions]")
        assert "13:00から" in call and "熱中症警戒アラート" in call and "WBGT 33" in call
        assert "ただちに作業を切り上げ" in call
        assert slip.evaluate("window.__sameDocument === true")
        assert no_horizontal_scroll(slip)
        slip.screenshot(path=shots / "suspension-2-slip-return-call-phone.png", full_page=False)

        # The public board says so, live, with nobody's name.
        public.wait_for_selector("[data-suspensions] .suspension")
        banner = public.inner_text("[data-suspensions]")
        assert "活動中止" in banner and "13:00から" in banner and "熱中症警戒アラート" in banner
        assert public.evaluate("window.__sameDocument === true")
        page_text = public.inner_text("body")
        assert all(v.name not in page_text for v in booked)
        public.screenshot(path=shots / "suspension-3-public-board-desktop.png", full_page=True)

        # The staff board carries the same banner, with the way to lift it.
        staff.goto(f"/c/{centre.slug}/board/")
        assert "13:00から" in staff.inner_text("[data-suspensions]")
        staff.screenshot(path=shots / "suspension-4-staff-board-desktop.png")

        # The booked volunteers' mails reach the SMTP server.
        envelopes = inbox.wait(2, timeout=60)
        assert len(envelopes) == 2, mail_worker.log_tail("mailworker")
    finally:
        smtp.stop()
        mail_worker.stop()
        stack.start_worker()
    assert sorted(r for e in envelopes for r in e.rcpt_tos) == ["mei@example.jp", "taro@example.jp"]
    for envelope in envelopes:
        message = email.message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message["Subject"])))
        assert "活動中止" in subject and centre.name in subject
        assert message["List-Unsubscribe"]
    assert OutboundMail.objects.filter(kind=OutboundMail.Kind.SUSPENSION, state=OutboundMail.State.SENT).count() == 2
    for page in (slip, public, staff):
        assert page.console_errors == [], (page.url, page.console_errors)
