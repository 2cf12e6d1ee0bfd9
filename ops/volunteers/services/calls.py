"""募集のお知らせ: staff call pre-registered volunteers by mail to the days they need people.

Who is called: volunteers registered at any centre of the same disaster (a prefecture often takes
registrations at one centre or portal for all its centres; the recruitment scope below still limits them),
with an address, wanting calls, not erased, living within the centre's recruitment scope
(Centre.within_scope), who said they could come on a weekday of one of the days (none said: any day), and
not already booked here on every one of the days.

The page writes one RecruitmentCall row; the task (ops.volunteers.tasks.fan_out_call) queues the mails in
batches, each batch in its own transaction that also moves the call's bookmark, so a task run twice (or
resumed by the beat after a lost message) never mails anyone twice.
"""
import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Centre
from ops.messages.models import OutboundMail
from ops.prefecture.models import Application, Offering
from ops.volunteers.mailing import day_label, personal_url, queue_volunteer_mails
from ops.volunteers.models import Booking, RecruitmentCall, Volunteer
from ops.volunteers.rules import VolunteerError, check_open
from ops.volunteers.services.booking import bookable_days

log = logging.getLogger(__name__)

BATCH = 500
MESSAGE_MAX = 1000


def eligible():
    """Volunteers who may be called at all (before scope and days)."""
    return (Volunteer.objects.filter(wants_calls=True, personal_data_erased_at__isnull=True)
            .exclude(email=""))


def recipients(centre: Centre, days: list[date]) -> list[int]:
    """The ids of the volunteers a call for `days` reaches, in id order."""
    weekdays = {d.weekday() for d in days}
    fully_booked = (Booking.objects.open().filter(centre=centre, date__in=days).values("volunteer_id")
                    .annotate(n=Count("id")).filter(n=len(set(days))).values("volunteer_id"))
    # An application for the prefecture's offering holds a day as a booking does (ops.prefecture).
    fully_applied = (Application.objects.live().filter(offering__centre=centre, date__in=days).values("volunteer_id")
                     .annotate(n=Count("id")).filter(n=len(set(days))).values("volunteer_id"))
    rows = (eligible().filter(Q(registered_centre__disaster_id=centre.disaster_id)
                              | Q(registered_disaster_id=centre.disaster_id))
            .exclude(pk__in=fully_booked).exclude(pk__in=fully_applied).order_by("pk")
            .values_list("pk", "prefecture", "city", "available_weekdays"))
    in_scope: dict[tuple[str, str], bool] = {}
    chosen = []
    for pk, prefecture, city, available in rows.iterator(chunk_size=5000):
        if available and not weekdays & set(available):
            continue
        key = (prefecture, city)
        if key not in in_scope:
            in_scope[key] = centre.within_scope(prefecture=prefecture, city=city)
        if in_scope[key]:
            chosen.append(pk)
    return chosen


def check_call(centre: Centre, *, days: list[date], message: str) -> None:
    check_open(centre)
    if centre.recruitment_status == Centre.Recruitment.NONE:
        raise VolunteerError(_("募集状況が「募集なし」のため、お知らせは送れません。"), code="not_recruiting")
    if not days:
        raise VolunteerError(_("募集する日を選んでください。"), code="days")
    if not set(days) <= set(bookable_days(centre)):
        raise VolunteerError(_("募集する日は予約を受け付けている日から選んでください。"), code="days")
    if not message.strip():
        raise VolunteerError(_("お知らせの文を入力してください。"), code="message")
    if len(message) > MESSAGE_MAX:
        raise VolunteerError(_("お知らせは%(n)d文字以内にしてください。") % {"n": MESSAGE_MAX}, code="message")


def make_call(centre: Centre, *, days: list[date], message: str, by, nonce: str) -> tuple[RecruitmentCall, bool]:
    """Record the call and have the task mail it after commit. The form's `nonce` makes it once: a second
    POST of the same form returns the call already made (created False)."""
    check_call(centre, days=days, message=message)
    days = sorted(set(days))
    try:
        with transaction.atomic(), audit.operation("recruitment_call.send", by=by, centre=centre):
            call = RecruitmentCall.objects.create(
                centre=centre, days=[d.isoformat() for d in days], message=message.strip(), by=by,
                nonce=nonce[:43], recipients_count=len(recipients(centre, days)))
            transaction.on_commit(lambda: start_fan_out(call.pk))
    except IntegrityError:
        return RecruitmentCall.objects.get(centre=centre, nonce=nonce[:43]), False
    return call, True


def start_fan_out(call_id: int) -> None:
    from ops.volunteers.tasks import fan_out_call

    try:
        fan_out_call.delay(call_id)
    except Exception as exc:  # broker away: the beat's reminder_tick resumes unfinished calls
        log.warning("could not queue recruitment call %s (%s)", call_id, type(exc).__name__)


def call_subject(call: RecruitmentCall) -> str:
    return _("【%(centre)s】ボランティア募集のお知らせ（%(days)s）") % {
        "centre": call.centre.name, "days": "、".join(day_label(d) for d in call.dates[:3])
        + ("…" if len(call.dates) > 3 else "")}


def applied_for(call: RecruitmentCall) -> bool:
    """Whether the prefecture gives the places of the call's days (an Offering): the mail then asks to apply."""
    return Offering.objects.filter(centre_id=call.centre_id, date__in=call.dates).exists()


def call_body(call: RecruitmentCall, volunteer: Volunteer, *, offered: bool | None = None) -> str:
    """The call's text for one volunteer; `offered` is `applied_for(call)`, read once per batch by the caller."""
    centre = call.centre
    lines = [_("%(name)s 様") % {"name": volunteer.name}, "",
             _("%(centre)sでは、次の日に活動していただけるボランティアを募集しています。") % {"centre": centre.name}, "",
             _("募集する日: %(days)s") % {"days": "、".join(day_label(d) for d in call.dates)},
             _("受付開始: %(time)s") % {"time": centre.activity_start.strftime("%H:%M")},
             _("場所: %(where)s") % {"where": centre.address or centre.name}]
    if centre.what_to_bring.strip():
        lines.append(_("持ち物:\n%(items)s") % {"items": centre.what_to_bring.strip()})
    if applied_for(call) if offered is None else offered:
        ask = _("ご都合のつく日に、あなたのページから応募してください（応募が多いときは抽選または先着順で決まり、結果をメールでお知らせします）: %(url)s")
    else:
        ask = _("ご都合のつく日を、あなたのページから予約してください: %(url)s")
    lines += ["", call.message, "", ask % {"url": personal_url(volunteer)}]
    return "\n".join(lines)


def queue_batch(call_id: int, ids: list[int]) -> int:
    """Mail the volunteers of `ids` past the call's bookmark (in one transaction with the bookmark)."""
    with transaction.atomic():
        call = RecruitmentCall.objects.select_for_update().select_related("centre").get(pk=call_id)
        ids = [pk for pk in ids if pk > call.queued_up_to]
        if call.queued_at is not None or not ids:
            return 0
        volunteers = list(eligible().filter(pk__in=ids).order_by("pk"))
        with translation.override("ja"):
            subject = call_subject(call)
            offered = applied_for(call)
            queued = queue_volunteer_mails(volunteers, kind=OutboundMail.Kind.RECRUITMENT_CALL, subject=subject,
                                           body=lambda v: call_body(call, v, offered=offered), centre=call.centre,
                                           triggered_by=f"recruitment_call:{call.pk}")
        call.queued_up_to, call.queued_count = ids[-1], call.queued_count + queued
        call.save(update_fields=["queued_up_to", "queued_count"])
    return queued


def fan_out(call_id: int, *, batch: int = BATCH) -> int:
    """Queue every mail of the call not queued yet; returns how many this run queued."""
    call = RecruitmentCall.objects.select_related("centre").get(pk=call_id)
    if call.queued_at is not None:
        return 0
    ids = [pk for pk in recipients(call.centre, call.dates) if pk > call.queued_up_to]
    queued = sum(queue_batch(call_id, ids[i:i + batch]) for i in range(0, len(ids), batch))
    RecruitmentCall.objects.filter(pk=call_id, queued_at__isnull=True).update(queued_at=timezone.now())
    return queued


def unfinished_calls():
    """Calls whose fan-out never finished (the broker lost the task, the worker stopped): for the beat."""
    return RecruitmentCall.objects.filter(queued_at__isnull=True,
                                          created_at__lt=timezone.now() - timedelta(minutes=5))


def delivery_by_call(calls) -> dict[int, dict[str, int]]:
    """{call id: {state: mails}} for the calls shown on the page: one query."""
    keys = {f"recruitment_call:{c.pk}": c.pk for c in calls}
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in calls}
    rows = (OutboundMail.objects.filter(kind=OutboundMail.Kind.RECRUITMENT_CALL, triggered_by__in=keys)
            .values("triggered_by", "state").annotate(n=Count("id")))
    for row in rows:
        counts[keys[row["triggered_by"]]][row["state"]] = row["n"]
    return counts


def set_call_preferences(volunteer: Volunteer, *, wants_calls: bool, available_weekdays) -> Volunteer:
    """The volunteer's own choice on their page: calls on or off, and the weekdays they can come."""
    days = sorted({int(d) for d in available_weekdays if 0 <= int(d) <= 6})
    with transaction.atomic(), audit.operation("volunteer.call_preferences", actor="volunteer",
                                               centre=volunteer.registered_centre_id):
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)  # a stop link may just have been used
        volunteer.available_weekdays = days
        fields = ["available_weekdays"]
        if volunteer.wants_calls != bool(wants_calls):
            volunteer.wants_calls = bool(wants_calls)
            volunteer.calls_stopped_at = None if wants_calls else timezone.now()
            fields += ["wants_calls", "calls_stopped_at"]
        volunteer.save(update_fields=fields)
    return volunteer
