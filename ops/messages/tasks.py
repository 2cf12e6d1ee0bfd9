"""Celery tasks of the outbox: send one mail (with retries), and hand over mail the broker never took."""
import os
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import Q
from django.utils import timezone

from ops.messages import sending
from ops.messages.models import OutboundMail

# Transient failures: the SMTP server down, slow or refusing for now, the network.
RETRY_ON = (SMTPException, OSError)
# The database away (a restart): retried too; the row cannot take a note then, and must not be failed for it.
DATABASE_AWAY = (OperationalError, InterfaceError)
# Seconds before the first retry (doubling, with jitter, up to TASK_RETRY_BACKOFF_MAX, below the broker's
# visibility timeout: 4 minutes by default); tests set 1. With 14 retries a mail is tried for up to ~40 minutes.
RETRY_BACKOFF = int(os.environ.get("MAIL_RETRY_BACKOFF", "5"))
MAX_RETRIES = int(os.environ.get("MAIL_MAX_RETRIES", "14"))  # the fault tests and bench set a few
# A queued mail no task has tried after this long was lost on the way to the worker (a broker restart).
STRANDED_AFTER = timedelta(minutes=15)


@shared_task(name="ops.messages.tasks.deliver_mail", bind=True, acks_late=True,
             autoretry_for=RETRY_ON + DATABASE_AWAY, retry_backoff=RETRY_BACKOFF, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX, retry_jitter=True,
             max_retries=MAX_RETRIES)
def deliver_mail(self, mail_id: int):
    """Send one mail (ops.messages.sending.deliver): retried while nothing was accepted, never after its
    content went to the server."""
    try:
        return sending.deliver(mail_id)
    except RETRY_ON as exc:
        sending.note_failure(mail_id, exc, final=self.request.retries >= self.max_retries)
        raise
    except DATABASE_AWAY:
        raise
    except Exception as exc:  # not a mail failure (a bug, a bad attachment): no retry will mend it
        sending.note_failure(mail_id, exc, final=True)
        raise


@shared_task(name="ops.messages.tasks.send_waiting_mail")
def send_waiting_mail() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE): queue again each mail the broker did not take or lost, and
    turn each mail left `sending` by a worker that died into `unknown` (never resent)."""
    sending.settle_stale_sending()
    stranded = (OutboundMail.objects.filter(state=OutboundMail.State.QUEUED)
                .filter(Q(error="not_queued") | Q(attempts=0, queued_at__lt=timezone.now() - STRANDED_AFTER)))
    ids = list(stranded.values_list("pk", flat=True)[:500])
    for mail_id in ids:
        deliver_mail.delay(mail_id)
    return len(ids)
