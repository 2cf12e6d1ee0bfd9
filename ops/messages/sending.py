"""Sending one queued mail, safe to run twice and never sending twice: what the task runs.

In phases (the SMTP steps are ops.messages.smtp_steps):
1. Claim and envelope. The row is locked (FOR UPDATE) while the connection, EHLO, MAIL FROM and RCPT TO go:
   a second worker waits, then finds the mail no longer queued. A failure here leaves the row queued (the
   task retries it) or, the addresses refused, failed: nothing was accepted.
2. Just before the content (DATA) the row is committed `sending` (attempts + 1, tried_at); the lock goes.
3. The server's 250 is committed `sent` in its own transaction. A definite refusal of the content is an
   answer: 5xx fails the mail, 4xx puts it back in the queue. A lost answer (a timeout, a dropped connection)
   makes it `unknown`: it may have been delivered, so the system never sends it again; staff decide
   (ops.messages.services.send_again / confirm_delivered).
A row left `sending` (the worker died during or after DATA) becomes `unknown` after SENDING_STALE_AFTER, by
the sweep or by the task's redelivery (settle_stale_sending), never sent again.
Other mail backends (locmem in tests, the console) have no such phases: claimed `sending`, sent, `sent`.
"""
import logging
import os
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ops.messages import failures, smtp_steps
from ops.messages.models import OutboundMail
from ops.messages.signals import mail_sent

log = logging.getLogger(__name__)
State = OutboundMail.State
# A mail `sending` this long has lost its worker (the content's transfer and the answer each take at most
# EMAIL_TIMEOUT per read or write; a large attachment takes several): it becomes `unknown`.
SENDING_STALE_AFTER = timedelta(seconds=int(os.environ.get("MAIL_SENDING_STALE", settings.EMAIL_TIMEOUT * 3 + 60)))


class Deferred(smtplib.SMTPResponseException):
    """The server answered the content with 4xx: not accepted, try again later (the attempt is counted)."""


def build_message(mail: OutboundMail) -> EmailMessage:
    message = EmailMessage(subject=mail.subject, body=mail.body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=list(mail.to), headers={**mail.headers, "Message-ID": mail.message_id})
    for attachment in mail.attachments:
        with default_storage.open(attachment["path"], "rb") as fh:
            message.attach(attachment["name"], fh.read(), attachment.get("mime"))
    return message


def _move(mail_id: int, from_state, to_state: str, **fields) -> bool:
    """One conditional UPDATE (its own commit unless inside a caller's transaction): True if the row moved.
    `from_state` is a state or a tuple of them."""
    states = from_state if isinstance(from_state, tuple) else (from_state,)
    return bool(OutboundMail.objects.filter(pk=mail_id, state__in=states).update(state=to_state, **fields))


def mark_sent(mail_id: int, *, from_state=(State.SENDING, State.UNKNOWN), error: str = "", at=None) -> bool:
    """The server's 250 wins over `unknown` (a sweep that judged a very slow transfer lost)."""
    # Record the mail sent, and tell the apps that listen (mail_sent), in one commit.
    with transaction.atomic():
        if not _move(mail_id, from_state, State.SENT, sent_at=at or timezone.now(), error=error):
            return False
        mail_sent.send(sender=OutboundMail, mail=OutboundMail.objects.get(pk=mail_id))
    return True


def settle_stale_sending(*, mail_id: int | None = None, older_than: timedelta | None = None) -> int:
    """Mails left `sending` longer than a send can take become `unknown` (worker_lost). Never resent."""
    stale = OutboundMail.objects.filter(state=State.SENDING,
                                        tried_at__lt=timezone.now() - (older_than or SENDING_STALE_AFTER))
    if mail_id is not None:
        stale = stale.filter(pk=mail_id)
    ids = list(stale.values_list("pk", flat=True))
    moved = OutboundMail.objects.filter(pk__in=ids, state=State.SENDING).update(state=State.UNKNOWN,
                                                                                 error="worker_lost")
    if moved:
        log.warning("mails %s were left sending (their worker died): delivery unknown, not resent", ids)
    return moved


def deliver(mail_id: int) -> bool:
    """Send the mail unless it was sent, given up or is on its way. True if the server accepted it now; raises
    on a failure a retry may mend (the row queued again)."""
    settle_stale_sending(mail_id=mail_id)  # a redelivered task of a worker that died after DATA
    backend = get_connection(fail_silently=False)
    if not smtp_steps.speaks_smtp(backend):
        return _deliver_plain(mail_id, backend)
    with transaction.atomic():
        mail = OutboundMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.state != State.QUEUED:
            return False
        try:
            envelope = smtp_steps.open_envelope(build_message(mail), backend)
        except Exception as exc:
            if not failures.is_permanent(exc):
                raise  # rolled back: the task notes it (note_failure) and retries
            mail.state, mail.error = State.FAILED, failures.code_for(exc)
        else:
            mail.state, mail.error = State.SENDING, ""
        mail.attempts += 1
        mail.tried_at = timezone.now()
        mail.save(update_fields=["state", "error", "attempts", "tried_at"])
    if mail.state == State.FAILED:
        log.warning("mail %s (%s) refused for good: %s", mail.pk, mail.kind, mail.error)
        return False
    return _send_content(mail, envelope)


def _send_content(mail: OutboundMail, envelope) -> bool:
    try:
        smtp_steps.send_content(envelope)
    except smtplib.SMTPDataError as exc:
        if 500 <= exc.smtp_code < 600:
            _move(mail.pk, State.SENDING, State.FAILED, error="rejected")
            log.warning("mail %s (%s) rejected by the server (%s)", mail.pk, mail.kind, exc.smtp_code)
            return False
        _move(mail.pk, State.SENDING, State.QUEUED, error="deferred")
        raise Deferred(exc.smtp_code, exc.smtp_error) from exc
    except Exception as exc:  # the answer is lost: delivered or not, nobody knows
        _move(mail.pk, State.SENDING, State.UNKNOWN, error="answer_lost")
        log.warning("mail %s (%s): no answer after its content (%s): delivery unknown, not resent",
                    mail.pk, mail.kind, type(exc).__name__)
        return False
    mark_sent(mail.pk)
    envelope.close()
    log.info("mail %s (%s) sent to %d recipients", mail.pk, mail.kind, len(mail.to))
    return True


def _deliver_plain(mail_id: int, backend) -> bool:
    """A backend without an SMTP conversation (locmem, console, file): claim, send, record."""
    if not _move(mail_id, State.QUEUED, State.SENDING, attempts=F("attempts") + 1, tried_at=timezone.now(),
                 error=""):
        return False
    mail = OutboundMail.objects.get(pk=mail_id)
    try:
        backend.send_messages([build_message(mail)])
    except Exception as exc:
        permanent = failures.is_permanent(exc)
        _move(mail_id, State.SENDING, State.FAILED if permanent else State.QUEUED, error=failures.code_for(exc))
        if permanent:
            return False
        exc.attempt_counted = True
        raise
    mark_sent(mail_id)
    log.info("mail %s (%s) sent to %d recipients", mail.pk, mail.kind, len(mail.to))
    return True


def note_failure(mail_id: int, exc: BaseException, *, final: bool) -> None:
    """Keep the reason on the row (a code: staff read it as words); after the last retry the mail is failed.
    Only a queued mail takes the note: one sending, sent or unknown is past retrying."""
    code = failures.code_for(exc)
    counted = isinstance(exc, Deferred) or getattr(exc, "attempt_counted", False)
    OutboundMail.objects.filter(pk=mail_id, state=State.QUEUED).update(
        attempts=F("attempts") + (0 if counted else 1), tried_at=timezone.now(), error=code,
        state=State.FAILED if final else State.QUEUED)
    log.warning("mail %s not sent (%s)%s", mail_id, code, "; giving up" if final else "; will retry")
