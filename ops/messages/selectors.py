"""Reading the outbox: the mails about a record, latest first; a centre's mails for the staff page."""
from django.db.models import Count, Q

from ops.messages.models import OutboundMail
from ops.messages.services import about_of
from ops.reports.models import RollupReport


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


def outbox_of(centre, kinds):
    """The centre's mails of these kinds, latest first; the disaster's roll-up mails count as every one of its
    centres' (they have no centre of their own)."""
    rollups = [about_of(r) for r in RollupReport.objects.filter(disaster_id=centre.disaster_id).only("pk")]
    mine = Q(centre=centre) | Q(centre__isnull=True, kind=OutboundMail.Kind.ROLLUP_REPORT, about__in=rollups)
    return OutboundMail.objects.filter(mine, kind__in=kinds).order_by("-queued_at", "-id")


def state_counts(mails) -> dict[str, dict[str, int]]:
    """{kind: {state: n}} of a queryset of mails (one query), for the page's summary."""
    counts: dict[str, dict[str, int]] = {}
    for row in mails.order_by().values("kind", "state").annotate(n=Count("id")):
        counts.setdefault(row["kind"], {})[row["state"]] = row["n"]
    return counts

