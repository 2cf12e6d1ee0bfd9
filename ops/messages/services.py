"""Asking for a mail. A service calls `queue_mail` inside its transaction: the row is written with the rest,
and once the transaction commits a Celery task sends it (ops.messages.tasks). A rolled-back change sends
nothing, and the caller (a web request) never waits on an SMTP server.
"""
import logging

from django.db import transaction
from django.utils import timezone

from ops.messages.models import OutboundMail
from ops.messages.sending import build_message

log = logging.getLogger(__name__)


def about_of(obj) -> str:
    """How a mail names the record it is about: "needs.need:42"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _clean(to) -> list[str]:
    return sorted({address.strip() for address in to if address and address.strip()})


def queue_mail(*, kind: str, to, subject: str, body: str, centre=None, about=None, attachments=(),
               triggered_by: str = "", headers=None) -> OutboundMail:
    """Record a mail to send and have it sent after commit. With nobody to send it to, the row is failed at
    once (no_recipients), so staff see that nobody was told."""
    to = _clean(to)
    mail = OutboundMail.objects.create(
        kind=kind, centre_id=getattr(centre, "pk", centre), about=about_of(about) if about is not None else "",
        to=to, subject=subject[:200], body=body, attachments=list(attachments), triggered_by=triggered_by[:60], headers=dict(headers or {}),
        state=OutboundMail.State.QUEUED if to else OutboundMail.State.FAILED, error="" if to else "no_recipients")
    if to:
        transaction.on_commit(lambda: enqueue(mail.pk))
    else:
        log.warning("mail %s (%s) has no recipients", mail.pk, kind)
    return mail


def enqueue(mail_id: int) -> None:
    """Hand the mail to the worker. With the broker down the row says so and the sweep
    (tasks.send_waiting_mail) hands it over later: the caller's work is done and must not fail for this."""
    from ops.messages.tasks import deliver_mail

    try:
        deliver_mail.delay(mail_id)
    except Exception as exc:  # broker unreachable
        log.warning("could not queue mail %s (%s)", mail_id, type(exc).__name__)
        OutboundMail.objects.filter(pk=mail_id, state=OutboundMail.State.QUEUED).update(error="not_queued")


def send_now(*, kind: str, to, subject: str, body: str, centre=None, about=None, attachments=(),
             triggered_by: str = "") -> OutboundMail:
    """Send now, in this process, and record the mail as sent; raises if it could not be sent, recording
    nothing. For the daily report's task only: it holds the report's row lock across the send and marks the
    report sent in the same transaction, which is its guarantee of one mail per report."""
    mail = OutboundMail(kind=kind, centre_id=getattr(centre, "pk", centre),
                        about=about_of(about) if about is not None else "", to=_clean(to), subject=subject[:200],
                        body=body, attachments=list(attachments), triggered_by=triggered_by[:60], attempts=1)
    build_message(mail).send()
    mail.state, mail.tried_at = OutboundMail.State.SENT, timezone.now()
    mail.sent_at = mail.tried_at
    mail.save()
    return mail
