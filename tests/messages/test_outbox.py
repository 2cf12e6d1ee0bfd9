"""The outbox: a service asks for a mail and a task sends it; the mail is a row with a state, sent once, and a
failure reads as words on the pages staff use (the need page, the welfare list)."""
import smtplib
import socket

import pytest
from django.core import mail
from django.urls import reverse

from harness import free_port
from ops.centres.models import Role
from ops.messages import failures, sending
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail
from ops.welfare.services import open_case
from tests import factories
from tests.smtp import smtp_server

pytestmark = pytest.mark.django_db

CRISIS = {"kind": "crisis", "note": "連絡が取れない"}


def flag_url(centre, need):
    return reverse("needs:welfare_flag", kwargs={"centre": centre.slug, "pk": need.pk})


def test_a_crisis_flag_asks_for_the_alert_and_the_request_sends_nothing(client_as, centre,
                                                                       django_capture_on_commit_callbacks):
    factories.make_user(Role.ADMIN, centre, email="head@example.jp")
    need = factories.make_need(centre)
    with django_capture_on_commit_callbacks() as after_commit:  # what the request hands on, not run here
        response = client_as(Role.WELFARE).post(flag_url(centre, need), CRISIS)
    assert response.status_code == 302
    assert mail.outbox == []
    alert = OutboundMail.objects.get()
    assert (alert.kind, alert.state, alert.to) == ("crisis_alert", "queued", ["head@example.jp"])
    assert alert.about == f"needs.need:{need.pk}" and alert.centre == centre
    assert len(after_commit) >= 1  # the hand-over to the worker

    assert sending.deliver(alert.pk) is True  # what the worker runs
    assert sending.deliver(alert.pk) is False  # a second delivery of the task sends nothing
    assert len(mail.outbox) == 1 and need.label in mail.outbox[0].subject
    alert.refresh_from_db()
    assert alert.state == "sent" and alert.sent_at is not None and alert.attempts == 1


def test_nobody_to_alert_is_shown_on_the_need_page_not_only_logged(client_as, centre):
    need = factories.make_need(centre)  # the centre has no administrator or welfare staff with a mail address
    client = client_as(Role.WELFARE)
    client.post(flag_url(centre, need), CRISIS)
    assert OutboundMail.objects.get().state == "failed"
    page = client.get(reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk})).content.decode()
    assert "送信先のメールアドレスが登録されていません" in page


@pytest.mark.parametrize("language, words", [("ja", "メールサーバーに接続できませんでした"),
                                             ("en", "Could not connect to the mail server")])
def test_a_failed_alert_reads_as_words_on_the_need_page_and_the_welfare_list(client_as, centre, language, words):
    need = factories.make_need(centre, welfare="crisis")
    open_case(need=need, source="intake", level="crisis")
    alert = queue_mail(kind="crisis_alert", centre=centre, about=need, to=["head@example.jp"], subject="s", body="b")
    sending.note_failure(alert.pk, ConnectionRefusedError(111, "Connection refused"), final=True)
    client = client_as(Role.WELFARE)
    for url in (reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk}),
                reverse("welfare:cases", kwargs={"centre": centre.slug})):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert words in body, url
        assert "ConnectionRefused" not in body and "connection_refused" not in body, url


@pytest.mark.parametrize("exc, code", [
    (ConnectionRefusedError(111, "Connection refused"), "connection_refused"),
    (TimeoutError("timed out"), "timeout"),
    (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "disconnected"),
    (smtplib.SMTPAuthenticationError(535, b"bad credentials"), "auth"),
    (smtplib.SMTPRecipientsRefused({"x@example.jp": (550, b"no such user")}), "recipients_refused"),
    (smtplib.SMTPDataError(554, b"rejected"), "rejected"),
    (smtplib.SMTPDataError(451, b"try later"), "deferred"),
    (smtplib.SMTPRecipientsRefused({"x@example.jp": (451, b"greylisted")}), "deferred"),
    (smtplib.SMTPDataError(999, b"nonsense"), "server_error"),
    (socket.gaierror(-2, "Name or service not known"), "network"),
    (ValueError("something else"), "unknown"),
])
def test_each_failure_has_a_code_and_words(exc, code):
    assert failures.code_for(exc) == code
    assert failures.words(code) and failures.words(code) != code


def _smtp_settings(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


def test_a_refused_connection_leaves_the_mail_queued_with_its_reason(centre, settings):
    _smtp_settings(settings, free_port())  # nobody listens there
    queued = queue_mail(kind="volunteer_link", centre=centre, to=["v@example.jp"], subject="s", body="b")
    with pytest.raises(ConnectionRefusedError):
        sending.deliver(queued.pk)
    sending.note_failure(queued.pk, ConnectionRefusedError(111, "refused"), final=False)  # what the task does
    queued.refresh_from_db()
    assert (queued.state, queued.error, queued.attempts) == ("queued", "connection_refused", 1)


class RefusingInbox:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 no such user"


def test_addresses_the_server_refuses_fail_the_mail_without_retrying(centre, settings):
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(RefusingInbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _smtp_settings(settings, port)
        queued = queue_mail(kind="volunteer_link", centre=centre, to=["nobody@example.jp"], subject="s", body="b")
        assert sending.deliver(queued.pk) is False  # no exception: nothing for a retry to mend
    finally:
        controller.stop()
    queued.refresh_from_db()
    assert (queued.state, queued.error) == ("failed", "recipients_refused")


def test_the_worker_sends_through_a_real_smtp_server_once(centre, settings):
    port = free_port()
    controller, inbox = smtp_server(port)
    try:
        _smtp_settings(settings, port)
        queued = queue_mail(kind="volunteer_link", centre=centre, to=["v@example.jp"], subject="【登録】ご案内",
                            body="本文")
        assert sending.deliver(queued.pk) is True
        assert sending.deliver(queued.pk) is False
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 1 and inbox.envelopes[0].rcpt_tos == ["v@example.jp"]


def test_mail_the_broker_did_not_take_is_handed_over_by_the_sweep(centre, eager):
    from ops.messages.tasks import send_waiting_mail

    stranded = queue_mail(kind="volunteer_link", centre=centre, to=["v@example.jp"], subject="s", body="b")
    OutboundMail.objects.filter(pk=stranded.pk).update(error="not_queued")  # what enqueue leaves, broker down
    assert send_waiting_mail() == 1
    stranded.refresh_from_db()
    assert stranded.state == "sent" and len(mail.outbox) == 1
    assert send_waiting_mail() == 0
