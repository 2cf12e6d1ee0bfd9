"""Sending one queued mail, safe to run twice: what the task runs.

The row is locked while its mail goes out and marked sent in the same transaction, so a second run (a
redelivered task, the sweep) waits and then finds it sent. A failure a retry may mend leaves the row queued
with its reason; one it cannot (the server refused the addresses) or the last retry fails it.
"""
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ops.messages import failures
from ops.messages.models import OutboundMail

log = logging.getLogger(__name__)


def build_message(mail: OutboundMail) -> EmailMessage:
    message = EmailMessage(subject=mail.subject, body=mail.body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=list(mail.to), headers={**mail.headers, "Message-ID": mail.message_id})
    for attachment in mail.attachments:
        with default_storage.open(attachment["path"], "rb") as fh:
            message.attach(attachment["name"], fh.read(), attachment.get("mime"))
    return message


def deliver(mail_id: int) -> bool:
    """Send the mail unless it was sent (or given up) already. True if it left now; raises on a failure a
    retry may mend."""
    with transaction.atomic():
        mail = OutboundMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.state != OutboundMail.State.QUEUED:
            return False
        now = timezone.now()
        try:
            build_message(mail).send()
        except Exception as exc:
            if not failures.is_permanent(exc):
                raise  # the task notes it (note_failure) and retries
            mail.state, mail.error = OutboundMail.State.FAILED, failures.code_for(exc)
        else:
            mail.state, mail.error, mail.sent_at = OutboundMail.State.SENT, "", now
        mail.attempts += 1
        mail.tried_at = now
        mail.save(update_fields=["state", "error", "sent_at", "attempts", "tried_at"])
    if mail.state == OutboundMail.State.FAILED:
        log.warning("mail %s (%s) refused for good: %s", mail.pk, mail.kind, mail.error)
        return False
    log.info("mail %s (%s) sent to %d recipients", mail.pk, mail.kind, len(mail.to))
    return True


def note_failure(mail_id: int, exc: BaseException, *, final: bool) -> None:
    """Keep the reason on the row (a code: staff read it as words); after the last retry the mail is failed."""
    code = failures.code_for(exc)
    OutboundMail.objects.filter(pk=mail_id, state=OutboundMail.State.QUEUED).update(
        attempts=F("attempts") + 1, tried_at=timezone.now(), error=code,
        state=OutboundMail.State.FAILED if final else OutboundMail.State.QUEUED)
    log.warning("mail %s not sent (%s)%s", mail_id, code, "; giving up" if final else "; will retry")
