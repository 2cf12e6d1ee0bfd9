"""The real thing: Celery beat's tick handled by a real worker on real Redis, mail to a real SMTP server
(aiosmtpd, started here), and a worker that retries while that server is down."""
import email
import time as clock
from datetime import time, timedelta
from email import policy
from email.header import decode_header, make_header

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ops.centres.models import Role
from ops.messages.models import OutboundMail
from ops.messages.selectors import mails_about
from ops.reports.models import DailyReport, ReportRecipient
from ops.reports.render import daily_subject
from tests import factories
from tests.smtp import smtp_server

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _centre_due_now():
    centre = factories.make_centre(report_time=time(0, 0))
    centre.opened_on = centre.today() - timedelta(days=2)
    centre.save()
    factories.make_attendance(centre, date=centre.today())
    for name, address in (("市 防災課", "bousai@example.jp"), ("県社協", "council@example.jp")):
        ReportRecipient.objects.create(centre=centre, name=name, email=address)
    return centre


def _parse(envelope):
    return email.message_from_bytes(envelope.content, policy=policy.default)


def test_beat_tick_in_a_real_worker_mails_the_report_once(mail_worker):
    centre = _centre_due_now()
    today = centre.today()
    controller, inbox = smtp_server(mail_worker["port"])
    try:
        queued = mail_worker["producer"].send_task("ops.reports.tasks.report_tick").get(timeout=60)
        assert queued == [["centre", centre.pk, today.isoformat()]]
        envelopes = inbox.wait(1)
        assert len(envelopes) == 1, mail_worker["stack"].log_tail("mailworker")
        message = _parse(envelopes[0])
        raw_subject = email.message_from_bytes(envelopes[0].content)["Subject"]
        assert raw_subject.isascii()  # RFC 2047 encoded words on the wire
        # Decoded as a mail client does: the Japanese subject, character for character.
        with translation.override("ja"):
            expected = daily_subject(centre.name, today)
        assert str(make_header(decode_header(raw_subject))) == expected
        assert expected.startswith("【日報】")
        assert sorted(envelopes[0].rcpt_tos) == ["bousai@example.jp", "council@example.jp"]
        attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
        pdf = attachments[f"nippo-{centre.slug}-{today.isoformat()}.pdf"]
        assert pdf[:5] == b"%PDF-"
        assert f"nippo-{centre.slug}-{today.isoformat()}.xlsx" in attachments

        # The next tick finds the report sent: nothing queued, nothing mailed.
        assert mail_worker["producer"].send_task("ops.reports.tasks.report_tick").get(timeout=60) == []
        clock.sleep(2)
        assert len(inbox.envelopes) == 1
    finally:
        controller.stop()
    report = DailyReport.objects.get(centre=centre, date=today)
    assert report.sent_at is not None
    assert sorted(report.sent_to) == ["bousai@example.jp", "council@example.jp"]
    [logged] = mails_about(report)
    assert logged.kind == OutboundMail.Kind.DAILY_REPORT and logged.state == OutboundMail.State.SENT
    assert logged.attachment_names == [f"nippo-{centre.slug}-{today.isoformat()}.pdf",
                                       f"nippo-{centre.slug}-{today.isoformat()}.xlsx"]


def test_smtp_down_the_task_retries_and_sends_once_when_it_is_back(mail_worker):
    centre = _centre_due_now()
    today = centre.today()
    mail_worker["producer"].send_task("ops.reports.tasks.build_daily_report", args=[centre.pk, today.isoformat()])
    deadline = clock.monotonic() + 60
    report = mail = None
    while clock.monotonic() < deadline:
        report = DailyReport.objects.filter(centre=centre, date=today).first()
        mail = report and mails_about(report).first()
        if mail and mail.error:
            break
        clock.sleep(0.2)
    # The report was built and handed to the outbox; its mail waits, with the reason, and is retried.
    assert mail and (mail.state, mail.error) == ("queued", "connection_refused") and report.sent_at is None
    # Staff read why in words on the report's page, in their language; never the exception's class name.
    client = Client()
    client.force_login(factories.make_user(Role.COORDINATOR, centre))
    for language, words in (("ja", "メールサーバーに接続できませんでした"), ("en", "Could not connect to the mail server")):
        page = client.get(reverse("reports:today", kwargs={"centre": centre.slug}),
                          HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert words in page and "ConnectionRefusedError" not in page, language
    controller, inbox = smtp_server(mail_worker["port"])
    try:
        assert len(inbox.wait(1)) == 1, mail_worker["stack"].log_tail("mailworker")
        clock.sleep(3)
        assert len(inbox.envelopes) == 1
    finally:
        controller.stop()
    report.refresh_from_db()
    assert report.sent_at is not None and report.last_error == ""
    assert mails_about(report).count() == 1
    assert "Retry in" in mail_worker["stack"].log_tail("mailworker", lines=400)
