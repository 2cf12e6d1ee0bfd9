"""Reading the outbox: the mails about a record, latest first."""
from ops.messages.models import OutboundMail
from ops.messages.services import about_of


def mails_about(obj, *, kind: str | None = None):
    qs = OutboundMail.objects.filter(about=about_of(obj))
    return qs.filter(kind=kind) if kind else qs


def latest_about(objects, *, kind: str) -> dict:
    """{pk: the latest mail of `kind` about it} for a page of records (one query)."""
    keys = {about_of(o): o.pk for o in objects}
    latest = {}
    for mail in OutboundMail.objects.filter(kind=kind, about__in=keys).order_by("queued_at", "id"):
        latest[keys[mail.about]] = mail
    return latest
