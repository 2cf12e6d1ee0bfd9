"""The outcome mails (参加の可否のお知らせ): each application whose status differs from the one last mailed
(`Application.notified`) is mailed once, in batches under row locks that a second worker skips, so a repeated
task, a beat's sweep and two workers at once never mail one outcome twice. A volunteer without an address is
marked told (their personal page says it)."""
import logging
from bisect import bisect_right

from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from ops.messages.models import OutboundMail
from ops.prefecture.models import Application, Offering
from ops.volunteers.mailing import day_label, personal_url, queue_volunteer_mails

log = logging.getLogger(__name__)
BATCH = 500


def untold():
    return Application.objects.exclude(status=Application.Status.APPLIED).exclude(notified=F("status"))


def mail_outcomes(offering_id: int, *, batch: int = BATCH) -> int:
    """Queue the offering's outcome mails not queued yet; returns how many this run queued."""
    offering = Offering.objects.select_related("centre").get(pk=offering_id)
    queued = 0
    while True:
        with transaction.atomic():
            rows = list(untold().filter(offering_id=offering_id).select_for_update(skip_locked=True, of=("self",))
                        .select_related("volunteer", "bus").order_by("pk")[:batch])
            if not rows:
                return queued
            with translation.override("ja"):
                queued += _queue(offering, [a for a in rows if a.volunteer.email])
            for application in rows:
                Application.objects.filter(pk=application.pk).update(notified=application.status)


def _queue(offering: Offering, applications: list[Application]) -> int:
    by_volunteer = {a.volunteer_id: a for a in applications}
    # The waiting list's ranks, read once for the batch (not a count per waiting volunteer's mail).
    waiting = sorted(Application.objects.filter(offering=offering, status=Application.Status.WAITING)
                     .values_list("rank", flat=True))
    return queue_volunteer_mails([a.volunteer for a in applications], kind=OutboundMail.Kind.ALLOCATION,
                                 subject=lambda v: subject(offering, by_volunteer[v.pk]),
                                 body=lambda v: body(offering, by_volunteer[v.pk], waiting=waiting),
                                 centre=offering.centre,
                                 triggered_by=f"offering:{offering.pk}", stop_link=False)


def subject(offering: Offering, application: Application) -> str:
    words = {Application.Status.ALLOCATED: _("参加が決まりました"),
             Application.Status.WAITING: _("キャンセル待ちになりました"),
             Application.Status.CANCELLED: _("応募の取消を受け付けました")}[application.status]
    return _("【%(centre)s】%(day)s %(words)s") % {"centre": offering.centre.name, "day": day_label(offering.date),
                                                  "words": words}


def body(offering: Offering, application: Application, *, waiting: list[int] | None = None) -> str:
    """The outcome mail's text; `waiting` is the waiting list's ranks in order, when the caller read them."""
    centre, volunteer = offering.centre, application.volunteer
    lines = [_("%(name)s 様") % {"name": volunteer.name}, ""]
    if application.status == Application.Status.ALLOCATED:
        lines += [_("%(centre)sでの%(day)sの活動に参加が決まりました。") % {"centre": centre.name,
                                                                 "day": day_label(offering.date)},
                  _("受付開始: %(time)s") % {"time": centre.activity_start.strftime("%H:%M")},
                  _("場所: %(where)s") % {"where": centre.address or centre.name}]
        if application.bus_id and application.seat:
            bus = application.bus
            lines.append(_("ボランティアバス: %(hub)s %(time)s発、座席 %(seat)d番") % {
                "hub": bus.hub, "time": bus.departs_at.strftime("%H:%M"), "seat": application.seat})
        if centre.what_to_bring.strip():
            lines.append(_("持ち物:\n%(items)s") % {"items": centre.what_to_bring.strip()})
    elif application.status == Application.Status.WAITING:
        lines.append(_("%(centre)sでの%(day)sの活動は応募が定員を超えたため、キャンセル待ち（%(n)d番目）になりました。"
                       "参加できることになったら、あらためてメールでお知らせします。") % {
            "centre": centre.name, "day": day_label(offering.date), "n": waiting_place(application) if waiting is None else bisect_right(waiting, application.rank)})
    else:
        lines.append(_("%(centre)sでの%(day)sの活動への応募を取り消しました。") % {
            "centre": centre.name, "day": day_label(offering.date)})
    if application.status != Application.Status.CANCELLED and offering.allocated_by_method:
        lines += ["", how_decided(offering)]
    lines += ["", _("参加の取消・ほかの日への応募は、あなたのページから: %(url)s") % {"url": personal_url(volunteer)}]
    return "\n".join(lines)


def how_decided(offering: Offering) -> str:
    """The sentence saying how the places were given (on the mail and the pages)."""
    if offering.allocated_by_method == Offering.Method.DRAW:
        return _("応募が定員を超えたため、抽選で決めました（抽選のシード: %(seed)s）。") % {"seed": offering.seed}
    return _("応募の順（先着順）で決めました。")


def waiting_place(application: Application) -> int:
    """Where the application stands in the waiting list now (1 = next to move up)."""
    return Application.objects.filter(offering_id=application.offering_id, status=Application.Status.WAITING,
                                      rank__lte=application.rank).count()


def mail_outcomes_soon(offering_id: int) -> None:
    """After commit, ask a worker for the outcome mails; with the broker away the beat's tick sends them."""
    def send():
        from ops.prefecture.tasks import mail_offering_outcomes

        try:
            mail_offering_outcomes.delay(offering_id)
        except Exception as exc:  # broker away: prefecture_tick sweeps
            log.warning("could not queue outcome mails of offering %s (%s)", offering_id, type(exc).__name__)

    transaction.on_commit(send)
