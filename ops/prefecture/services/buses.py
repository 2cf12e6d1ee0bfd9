"""ボランティアバス: departures from a hub to a centre on a date. Seats are given with the places
(ops.prefecture.services.allocation); a delay, a cancellation or a return to schedule is one action that
mails every rider once (the change's version keeps a double click from mailing twice)."""
from datetime import date, time

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Centre
from ops.events import emit
from ops.messages.models import OutboundMail
from ops.prefecture.models import Application, BusDeparture
from ops.prefecture.services import PrefectureRefused
from ops.prefecture.state import bus_state
from ops.volunteers.mailing import day_label, personal_url, queue_volunteer_mails


def add_bus(centre: Centre, *, on: date, hub: str, departs_at: time, seats: int, operator: str = "",
            by=None) -> BusDeparture:
    if on <= centre.today():
        raise PrefectureRefused(_("運行日は翌日以降にしてください。"), field="date")
    if not hub.strip():
        raise PrefectureRefused(_("出発地を入力してください。"), field="hub")
    if not 1 <= seats <= 99:
        raise PrefectureRefused(_("座席数は1から99の間にしてください。"), field="seats")
    with transaction.atomic(), audit.operation("prefecture.add_bus", by=by, centre=centre):
        bus = BusDeparture.objects.create(centre=centre, date=on, hub=hub.strip()[:120], departs_at=departs_at,
                                          seats=seats, operator=operator.strip()[:120])
        emit(centre, "bus.changed", {"bus": bus_state(bus)})
    return bus


def riders(bus: BusDeparture):
    """The applications holding a seat on the bus (the boarding roster's rows, ops.prefecture.selectors)."""
    return Application.objects.filter(bus=bus, seat__isnull=False, status=Application.Status.ALLOCATED)


def change_bus(bus: BusDeparture, *, status: str, version: int, delay_minutes: int = 0, note: str = "",
               by=None) -> tuple[BusDeparture, int]:
    """Set the bus late (with the minutes), cancelled or back on schedule, and tell every rider by mail.
    Returns the bus and how many mails were queued. A stale form (another change since) is refused."""
    if status not in BusDeparture.Status.values:
        raise PrefectureRefused(_("運行状況の指定が正しくありません。"), field="status")
    if status == BusDeparture.Status.DELAYED and not 1 <= delay_minutes <= 600:
        raise PrefectureRefused(_("遅れは1分から600分の間で入力してください。"), field="delay_minutes")
    with transaction.atomic():
        bus = BusDeparture.objects.select_for_update().select_related("centre").get(pk=bus.pk)
        if bus.version != version:
            raise PrefectureRefused(_("このバスはほかの人が先に変更しました。画面を読み込み直してください。"),
                                    field="status", code="stale")
        bus.status = status
        bus.delay_minutes = delay_minutes if status == BusDeparture.Status.DELAYED else 0
        bus.status_note = note.strip()[:200]
        bus.version += 1
        bus.save(update_fields=["status", "delay_minutes", "status_note", "version"])
        audit.happened("prefecture.change_bus", bus, centre=bus.centre_id, by=by, note=status)
        people = [a.volunteer for a in riders(bus).select_related("volunteer") if a.volunteer.email]
        with translation.override("ja"):
            mailed = queue_volunteer_mails(people, kind=OutboundMail.Kind.BUS_NOTICE, subject=bus_subject(bus),
                                           body=lambda v: bus_body(bus, v), centre=bus.centre,
                                           triggered_by=f"bus:{bus.pk}:{bus.version}", stop_link=False)
        emit(bus.centre, "bus.changed", {"bus": bus_state(bus)})
    return bus, mailed


def bus_subject(bus: BusDeparture) -> str:
    words = {BusDeparture.Status.DELAYED: _("遅れ"), BusDeparture.Status.CANCELLED: _("運休"),
             BusDeparture.Status.SCHEDULED: _("予定どおり運行")}[bus.status]
    return _("【ボランティアバス】%(day)s %(hub)s %(time)s発：%(words)s") % {
        "day": day_label(bus.date), "hub": bus.hub, "time": bus.departs_at.strftime("%H:%M"), "words": words}


def bus_body(bus: BusDeparture, volunteer) -> str:
    lines = [_("%(name)s 様") % {"name": volunteer.name}, ""]
    where = {"day": day_label(bus.date), "hub": bus.hub, "time": bus.departs_at.strftime("%H:%M"),
             "centre": bus.centre.name}
    if bus.status == BusDeparture.Status.DELAYED:
        lines.append(_("%(day)s %(hub)s %(time)s発 %(centre)s行きのボランティアバスは、約%(n)d分遅れます。") % {
            **where, "n": bus.delay_minutes})
    elif bus.status == BusDeparture.Status.CANCELLED:
        lines.append(_("%(day)s %(hub)s %(time)s発 %(centre)s行きのボランティアバスは運休します。"
                       "活動への参加は取り消されていません。ほかの方法で来られない場合は、あなたのページから参加を取り消してください。")
                     % where)
    else:
        lines.append(_("%(day)s %(hub)s %(time)s発 %(centre)s行きのボランティアバスは、予定どおり運行します。") % where)
    if bus.status_note:
        lines += ["", bus.status_note]
    lines += ["", _("あなたのページ: %(url)s") % {"url": personal_url(volunteer)}]
    return "\n".join(lines)
