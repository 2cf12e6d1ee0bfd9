"""Asking for a mail. A service calls `queue_mail` inside its transaction: the row is written with the rest,
and once the transaction commits a Celery task sends it (ops.messages.tasks). A rolled-back change sends
nothing, and the caller (a web request) never waits on an SMTP server.
"""
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.drills import marking
from ops.messages.models import OutboundMail

log = logging.getLogger(__name__)


def about_of(obj) -> str:
    """How a mail names the record it is about: "needs.need:42" (a name already made passes as it is)."""
    return obj if isinstance(obj, str) else f"{obj._meta.label_lower}:{obj.pk}"


def _clean(to) -> list[str]:
    return sorted({address.strip() for address in to if address and address.strip()})


def queue_mail(*, kind: str, to, subject: str, body: str, centre=None, about=None, attachments=(),
               triggered_by: str = "", headers=None) -> OutboundMail:
    """Record a mail to send and have it sent after commit. With nobody to send it to, the row is failed at
    once (no_recipients), so staff see that nobody was told."""
    to = _clean(to)
    subject, body = marking.mail(subject, body, centre, about=about)  # 【訓練】 from a drill centre
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


class MailError(Exception):
    """A refusal with a message for staff."""


def _staff(by) -> str:
    return f"staff:{by.get_username()}"[:60] if by is not None else "staff"


def send_again(mail: OutboundMail, by) -> OutboundMail:
    """Staff send a failed or unknown mail again: a new row (a new Message-ID: the receiving side may tell
    the two apart) with the same subject, body, recipients, attachments and headers. The old row stays."""
    with transaction.atomic():
        old = OutboundMail.objects.select_for_update().get(pk=mail.pk)
        if old.state not in (OutboundMail.State.FAILED, OutboundMail.State.UNKNOWN):
            raise MailError(_("送信できなかったメールか、送達不明のメールだけを再送できます。"))
        if not old.to:
            raise MailError(_("送信先のメールアドレスが登録されていないため再送できません。"))
        again = queue_mail(kind=old.kind, centre=old.centre_id, about=old.about or None, to=old.to,
                           subject=old.subject, body=old.body, attachments=old.attachments, headers=old.headers,
                           triggered_by=_staff(by))
    log.info("mail %s sent again by staff as %s", old.pk, again.pk)
    return again


def confirm_delivered(mail: OutboundMail, by) -> OutboundMail:
    """Staff confirm that an unknown mail arrived (they asked the recipient): it reads sent, from when its
    content went, with who confirmed it and when. A record it carried (a report) reads sent too."""
    from ops.messages.sending import mark_sent

    with transaction.atomic():
        current = OutboundMail.objects.select_for_update().get(pk=mail.pk)
        if current.state != OutboundMail.State.UNKNOWN:
            raise MailError(_("送達不明のメールだけを「届いた」と確認できます。"))
        OutboundMail.objects.filter(pk=current.pk).update(confirmed_by=_staff(by), confirmed_at=timezone.now())
        mark_sent(current.pk, from_state=OutboundMail.State.UNKNOWN, error=current.error,
                  at=current.tried_at or timezone.now())
    return OutboundMail.objects.get(pk=mail.pk)
