"""Delivery in phases against real SMTP servers (aiosmtpd): what may be retried (nothing accepted yet), what is
an answer (a reply code to the content), and what is not known (the answer lost after DATA) and never resent.
Staff's two actions on the outbox: send a failed or unknown mail again, confirm an unknown one arrived."""
import email
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.db import connection
from django.utils import timezone

from harness import free_port
from ops.centres.models import Role
from ops.messages import sending
from ops.messages.models import OutboundMail
from ops.messages.services import MailError, confirm_delivered, queue_mail, send_again
from tests import factories
from tests.conftest import run_together
from tests.smtp import AnswersData, Inbox, SlowAnswer, SlowRcpt, serve

pytestmark = pytest.mark.django_db


def _smtp_settings(settings, port, timeout=5):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = timeout


@pytest.fixture
def server(settings):
    """server(handler, timeout=5): the handler listening, the settings pointing at it."""
    controllers = []

    def start(handler, timeout=5):
        port = free_port()
        controllers.append(serve(handler, port))
        _smtp_settings(settings, port, timeout)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def _mail(centre, **kwargs):
    return queue_mail(kind="volunteer_link", centre=centre, to=kwargs.pop("to", ["v@example.jp"]), subject="件名",
                      body="本文", **kwargs)


def test_accepted_mail_is_sent_once_with_its_own_message_id(centre, server):
    inbox = server(Inbox())
    queued = _mail(centre, to=["v@example.jp", "w@example.jp"])
    assert sending.deliver(queued.pk) is True
    assert sending.deliver(queued.pk) is False
    queued.refresh_from_db()
    assert (queued.state, queued.attempts, queued.error) == ("sent", 1, "") and queued.sent_at
    [envelope] = inbox.envelopes
    assert sorted(envelope.rcpt_tos) == ["v@example.jp", "w@example.jp"]
    assert email.message_from_bytes(envelope.content)["Message-ID"] == queued.message_id


def test_a_refused_content_fails_for_good(centre, server):
    handler = server(AnswersData("554 5.6.0 message refused"))
    queued = _mail(centre)
    assert sending.deliver(queued.pk) is False
    queued.refresh_from_db()
    assert (queued.state, queued.error, queued.attempts) == ("failed", "rejected", 1) and handler.tries == 1


def test_a_content_deferred_with_4xx_goes_back_to_the_queue_counted_once(centre, server):
    server(AnswersData("451 4.3.0 try again later"))
    queued = _mail(centre)
    with pytest.raises(sending.Deferred) as raised:
        sending.deliver(queued.pk)
    sending.note_failure(queued.pk, raised.value, final=False)  # what the task does before retrying
    queued.refresh_from_db()
    assert (queued.state, queued.error, queued.attempts) == ("queued", "deferred", 1)


def test_an_envelope_refused_for_now_is_retried(centre, server):
    class BusyRcpt(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "451 4.7.1 greylisted"

    server(BusyRcpt())
    queued = _mail(centre)
    with pytest.raises(Exception) as raised:
        sending.deliver(queued.pk)
    sending.note_failure(queued.pk, raised.value, final=False)
    queued.refresh_from_db()
    assert (queued.state, queued.error, queued.attempts) == ("queued", "deferred", 1)


def test_an_answer_lost_after_the_content_is_unknown_and_never_resent(centre, server):
    relay = server(SlowAnswer(delay=4), timeout=1)
    queued = _mail(centre)
    assert sending.deliver(queued.pk) is False  # no exception: nothing for a retry to do
    queued.refresh_from_db()
    assert (queued.state, queued.error, queued.attempts) == ("unknown", "answer_lost", 1)
    assert sending.deliver(queued.pk) is False
    assert len(relay.envelopes) == 1


def test_a_mail_left_sending_becomes_unknown_after_the_safe_delay_never_resent(centre, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queued = _mail(centre)
    OutboundMail.objects.filter(pk=queued.pk).update(state="sending", attempts=1, tried_at=timezone.now())
    assert sending.deliver(queued.pk) is False  # its worker may still be waiting for the answer
    assert OutboundMail.objects.get(pk=queued.pk).state == "sending"
    OutboundMail.objects.filter(pk=queued.pk).update(
        tried_at=timezone.now() - sending.SENDING_STALE_AFTER - timedelta(seconds=1))
    assert sending.deliver(queued.pk) is False  # a redelivered task of a worker that died
    queued.refresh_from_db()
    assert (queued.state, queued.error) == ("unknown", "worker_lost") and django_mail.outbox == []


def test_the_sweep_settles_mails_left_sending(centre, settings, eager):
    from ops.messages.tasks import send_waiting_mail

    queued = _mail(centre)
    OutboundMail.objects.filter(pk=queued.pk).update(
        state="sending", attempts=1, tried_at=timezone.now() - sending.SENDING_STALE_AFTER - timedelta(seconds=1))
    send_waiting_mail()
    queued.refresh_from_db()
    assert queued.state == "unknown" and django_mail.outbox == []


def test_the_safe_delay_outlasts_the_smtp_timeout(settings):
    assert timedelta(seconds=settings.EMAIL_TIMEOUT + 30) < sending.SENDING_STALE_AFTER


@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_one_mail_twice(centre, server):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    inbox = server(SlowRcpt())
    queued = _mail(centre)
    results, errors = run_together(2, lambda _i: sending.deliver(queued.pk))
    assert errors == [None, None]
    assert sorted(results) == [False, True]
    assert len(inbox.envelopes) == 1
    queued.refresh_from_db()
    assert queued.state == "sent" and queued.attempts == 1


# --- staff's actions ---------------------------------------------------------------------------------------------
def test_send_again_copies_a_failed_or_unknown_mail_with_a_new_message_id(centre):
    coordinator = factories.make_user(Role.COORDINATOR, centre)
    need = factories.make_need(centre)
    old = queue_mail(kind="crisis_alert", centre=centre, about=need, to=["head@example.jp"], subject="s",
                     body="b", headers={"X-Test": "1"},
                     attachments=[{"name": "a.pdf", "path": "reports/a.pdf", "mime": "application/pdf"}])
    for state in ("unknown", "failed"):
        OutboundMail.objects.filter(pk=old.pk).update(state=state)
        old.refresh_from_db()
        again = send_again(old, coordinator)
        assert again.pk != old.pk and again.message_id != old.message_id and again.state == "queued"
        assert (again.kind, again.to, again.subject, again.body, again.headers, again.attachments, again.about,
                again.centre_id) == (old.kind, old.to, old.subject, old.body, old.headers, old.attachments,
                                     old.about, old.centre_id)
        assert again.triggered_by == f"staff:{coordinator.username}"
    assert OutboundMail.objects.get(pk=old.pk).state == "failed"  # the old row stays as it was


@pytest.mark.parametrize("state", ["queued", "sending", "sent"])
def test_send_again_refuses_a_mail_on_its_way_or_sent(centre, state):
    old = _mail(centre)
    OutboundMail.objects.filter(pk=old.pk).update(state=state)
    with pytest.raises(MailError, match="再送できます"):
        send_again(old, factories.make_user(Role.COORDINATOR, centre))
    assert OutboundMail.objects.count() == 1


def test_confirm_delivered_records_who_and_when(centre):
    coordinator = factories.make_user(Role.COORDINATOR, centre)
    old = _mail(centre)
    tried = timezone.now() - timedelta(minutes=5)
    OutboundMail.objects.filter(pk=old.pk).update(state="unknown", error="answer_lost", tried_at=tried)
    confirmed = confirm_delivered(old, coordinator)
    assert confirmed.state == "sent" and confirmed.sent_at == tried
    assert confirmed.confirmed_by == f"staff:{coordinator.username}" and confirmed.confirmed_at
    with pytest.raises(MailError, match="送達不明"):
        confirm_delivered(confirmed, coordinator)


def test_confirming_a_report_s_unknown_mail_marks_the_report_sent(centre):
    from ops.reports.models import DailyReport

    report = DailyReport.objects.create(centre=centre, date=centre.today())
    old = queue_mail(kind="daily_report", centre=centre, about=report, to=["city@example.jp"], subject="s",
                     body="b")
    OutboundMail.objects.filter(pk=old.pk).update(state="unknown", tried_at=timezone.now())
    confirm_delivered(old, factories.make_user(Role.COORDINATOR, centre))
    report.refresh_from_db()
    assert report.sent_at is not None and report.sent_to == ["city@example.jp"]


@pytest.mark.parametrize("state, words", [("sending", "送信中"), ("unknown", "送達不明")])
def test_the_need_page_shows_sending_and_unknown(client_as, centre, state, words):
    from django.urls import reverse

    need = factories.make_need(centre, welfare="crisis")
    alert = queue_mail(kind="crisis_alert", centre=centre, about=need, to=["head@example.jp"], subject="s", body="b")
    OutboundMail.objects.filter(pk=alert.pk).update(state=state, error="answer_lost" if state == "unknown" else "")
    page = client_as(Role.WELFARE).get(reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk}))
    body = page.content.decode()
    assert words in body
    if state == "unknown":
        assert "届いたかどうか分かりません" in body
