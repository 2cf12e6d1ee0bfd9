"""The real thing: a booking confirmation and a recruitment call go through a real Celery worker on Redis to a
real SMTP server (aiosmtpd), with the Japanese subject intact, the stop-calls link at the foot and the
List-Unsubscribe headers (one-click, RFC 8058)."""
import email
from datetime import timedelta
from email import policy
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import pytest
from django.test import Client

from ops.messages.models import OutboundMail
from ops.messages.tasks import deliver_mail
from ops.volunteers.models import Volunteer
from ops.volunteers.services import book
from ops.volunteers.services.calls import make_call
from ops.volunteers.tasks import fan_out_call
from tests import factories
from tests.smtp import smtp_server, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def to_mail_worker(mail_worker, monkeypatch):
    """This process's tasks go to the mail worker's broker (not the session's worker, whose mail goes to
    the console)."""
    producer = mail_worker["producer"]
    monkeypatch.setattr(deliver_mail, "delay", lambda pk: producer.send_task(deliver_mail.name, args=[pk]))
    monkeypatch.setattr(fan_out_call, "delay", lambda pk: producer.send_task(fan_out_call.name, args=[pk]))
    return mail_worker


def _subject(envelope) -> str:
    raw = email.message_from_bytes(envelope.content)["Subject"]
    assert raw.isascii()  # RFC 2047 encoded words on the wire
    return str(make_header(decode_header(raw)))


def test_a_booking_confirmation_and_a_call_arrive_with_the_stop_link(to_mail_worker):
    centre = factories.make_centre(what_to_bring="長靴\n革手袋")
    booker = factories.make_volunteer(email="booker@example.jp", registered_centre=centre)
    called = factories.make_volunteer(email="called@example.jp", registered_centre=centre)
    tomorrow, day_after = centre.today() + timedelta(days=1), centre.today() + timedelta(days=2)
    controller, inbox = smtp_server(to_mail_worker["port"])
    try:
        book(booker, centre, on=tomorrow)
        call, _ = make_call(centre, days=[day_after], message="人手が足りません。", by=None, nonce="once")
        envelopes = inbox.wait(3)
        assert len(envelopes) == 3, to_mail_worker["stack"].log_tail("mailworker")
    finally:
        controller.stop()
    by_kind = {}
    for envelope in envelopes:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        by_kind.setdefault(_subject(envelope), []).append((envelope.rcpt_tos, message))
    confirmation = next(v for s, v in by_kind.items() if "活動予約を受け付けました" in s)
    calls = next(v for s, v in by_kind.items() if "ボランティア募集のお知らせ" in s)
    assert [rcpt for rcpt, _m in confirmation] == [["booker@example.jp"]]
    assert sorted(rcpt[0] for rcpt, _m in calls) == ["booker@example.jp", "called@example.jp"]
    for rcpt, message in confirmation + calls:
        body = message.get_body(("plain",)).get_content()
        unsubscribe = message["List-Unsubscribe"].strip().strip("<>")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe in body and "/m/stop/" in unsubscribe
    assert "長靴" in confirmation[0][1].get_body(("plain",)).get_content()
    assert wait_until(lambda: OutboundMail.objects.filter(state="sent").count() == 3, timeout=20)
    # The one-click POST a mail client makes from the header stops the calls of whom the mail was to.
    rcpt, message = next((r, m) for r, m in calls if r == ["called@example.jp"])
    Client(enforce_csrf_checks=True).post(urlsplit(message["List-Unsubscribe"].strip().strip("<>")).path,
                                          data="List-Unsubscribe=One-Click",
                                          content_type="application/x-www-form-urlencoded")
    assert not Volunteer.objects.get(pk=called.pk).wants_calls
    call.refresh_from_db()
    assert call.queued_count == 2 and call.queued_at is not None
