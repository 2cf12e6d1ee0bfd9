"""Mail to a volunteer. Every one goes through the outbox (ops.messages.services.queue_mail) and ends with a
link that stops recruitment calls, also given as the List-Unsubscribe header (RFC 2369, one-click by RFC 8058).

The link carries a signed volunteer id, not the personal token: whoever holds a forwarded mail can stop the
calls and nothing else (no sign-in, no personal data on the page it opens).
"""
import logging
from datetime import date

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ops import audit
from ops.drills import marking
from ops.messages.models import OutboundMail
from ops.messages.services import about_of, queue_mail
from ops.volunteers.models import Booking, Volunteer
from ops.volunteers.qr import absolute

log = logging.getLogger(__name__)

STOP_SALT = "volunteers.stop-calls"


def stop_calls_token(volunteer: Volunteer) -> str:
    return signing.dumps(volunteer.pk, salt=STOP_SALT)


def volunteer_of_stop_token(token: str) -> Volunteer | None:
    try:
        pk = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    return Volunteer.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def stop_calls_url(volunteer: Volunteer) -> str:
    return absolute(reverse("volunteers:stop_calls", kwargs={"token": stop_calls_token(volunteer)}))


def queue_volunteer_mail(volunteer: Volunteer, *, kind: str, subject: str, body: str, centre=None, about=None,
                         to=None, triggered_by: str = "") -> OutboundMail:
    """Queue a mail to the volunteer (or `to`: a group's address) with the stop-calls link at its foot."""
    url = stop_calls_url(volunteer)
    footer = _("募集のお知らせメールを停止する: %(url)s") % {"url": url}
    return queue_mail(kind=kind, to=[volunteer.email] if to is None else to, subject=subject,
                      body=f"{body.rstrip()}\n\n-- \n{footer}\n", centre=centre,
                      about=volunteer if about is None else about, triggered_by=triggered_by,
                      headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def stop_calls(volunteer: Volunteer) -> bool:
    """No more recruitment calls to this volunteer. True if it changed anything (a second click does not)."""
    with transaction.atomic():
        changed = Volunteer.objects.filter(pk=volunteer.pk, wants_calls=True).update(
            wants_calls=False, calls_stopped_at=timezone.now())
        if changed:
            audit.happened("volunteer.calls_stopped", volunteer, centre=volunteer.registered_centre_id,
                           actor="volunteer")
    return bool(changed)


# --- what a volunteer is told about their booking --------------------------------------------------------------
WEEKDAYS = (pgettext_lazy("weekday", "月"), pgettext_lazy("weekday", "火"), pgettext_lazy("weekday", "水"),
            pgettext_lazy("weekday", "木"), pgettext_lazy("weekday", "金"), pgettext_lazy("weekday", "土"),
            pgettext_lazy("weekday", "日"))  # 0 = Monday, as date.weekday() and Volunteer.available_weekdays


def day_label(day: date) -> str:
    """8月1日（土）: the date a volunteer reads, with its weekday."""
    return _("%(m)d月%(d)d日（%(w)s）") % {"m": day.month, "d": day.day, "w": WEEKDAYS[day.weekday()]}


def personal_url(volunteer: Volunteer) -> str:
    """The volunteer's own page. A secret: only in mail to the volunteer's own address."""
    return absolute(reverse("volunteers:personal", kwargs={"token": volunteer.token}))


def booking_facts(booking: Booking) -> str:
    """When, where and what to bring: the lines every mail about a booking carries."""
    centre = booking.centre
    where = (booking.base.address or booking.base.name) if booking.base_id else (centre.address or centre.name)
    lines = [_("活動日: %(day)s") % {"day": day_label(booking.date)},
             _("受付開始: %(time)s") % {"time": centre.activity_start.strftime("%H:%M")},
             _("集合場所: %(where)s") % {"where": where}]
    if booking.base_id and booking.base.address and booking.base.name:
        lines.append(_("拠点: %(base)s") % {"base": booking.base.name})
    if booking.head_count > 1:
        lines.append(_("人数: %(n)d人") % {"n": booking.head_count})
    if centre.what_to_bring.strip():
        lines.append(_("持ち物:\n%(items)s") % {"items": centre.what_to_bring.strip()})
    return "\n".join(lines)


BOOKING_SUBJECTS = {
    OutboundMail.Kind.BOOKING_CONFIRMED: gettext_lazy("【%(centre)s】%(day)sの活動予約を受け付けました"),
    OutboundMail.Kind.BOOKING_CANCELLED: gettext_lazy("【%(centre)s】%(day)sの活動予約を取り消しました"),
    OutboundMail.Kind.BOOKING_REMINDER: gettext_lazy("【%(centre)s】明日%(day)sの活動のご案内"),
}
BOOKING_OPENINGS = {
    OutboundMail.Kind.BOOKING_CONFIRMED: gettext_lazy("%(centre)sへの活動予約を受け付けました。当日は受付でQRコードを読み取ってください。"),
    OutboundMail.Kind.BOOKING_CANCELLED: gettext_lazy("%(centre)sへの次の活動予約を取り消しました。またのご協力をお待ちしています。"),
    OutboundMail.Kind.BOOKING_REMINDER: gettext_lazy("明日は%(centre)sでの活動日です。体調がすぐれないときは無理をせず、予約を取り消してください。"),
}


def mail_booking(booking: Booking, kind: str, *, triggered_by: str = "") -> list[OutboundMail]:
    """Tell the volunteer (and a group's own address, for a group's booking) about their booking: confirmed,
    cancelled or tomorrow's reminder. In the caller's transaction; nothing for someone with no address. The
    personal link goes only to the volunteer's own address, never to the group's."""
    volunteer, centre = booking.volunteer, booking.centre
    group = volunteer.group if volunteer.is_group_leader and booking.head_count > 1 else None
    extra = group.email.strip() if group is not None and group.email.strip() else ""
    if extra.lower() == volunteer.email.strip().lower():
        extra = ""
    mails = []
    with translation.override("ja"):  # volunteers' mail is in Japanese, whoever pressed the button
        subject = BOOKING_SUBJECTS[kind] % {"centre": centre.name, "day": day_label(booking.date)}
        opening = BOOKING_OPENINGS[kind] % {"centre": centre.name}
        facts = booking_facts(booking)
        if volunteer.email:
            link = _("ご自分の予約の確認・取り消し: %(url)s") % {"url": personal_url(volunteer)}
            dear = _("%(name)s 様") % {"name": volunteer.name}
            body = f"{dear}\n\n{opening}\n\n{facts}\n\n{link}\n"
            mails.append(queue_volunteer_mail(volunteer, kind=kind, subject=subject, body=body, centre=centre,
                                              about=booking, triggered_by=triggered_by))
        if extra:
            dear = _("%(name)s 様") % {"name": group.name}
            body = f"{dear}\n\n{opening}\n\n{facts}\n"
            mails.append(queue_volunteer_mail(volunteer, kind=kind, subject=subject, body=body, centre=centre,
                                              about=booking, to=[extra], triggered_by=triggered_by))
    return mails


# --- many at once: a recruitment call -------------------------------------------------------------------------
def queue_volunteer_mails(volunteers, *, kind: str, subject, body, centre=None, triggered_by: str = "",
                          stop_link: bool = True) -> int:
    """queue_volunteer_mail for many volunteers in one INSERT: `body(volunteer)` gives each one's text
    (`subject` is a string, or a function of the volunteer too). Rows in the caller's transaction, each handed
    to the worker after commit. Returns how many were queued. With `stop_link` (a recruitment call) each mail
    ends with the link that stops them; a mail about the volunteer's own place (stop_link=False) does not.
    (The bulk twin of ops.messages.services.queue_mail, kept here so as not to widen the outbox's API.)"""
    rows, drill = [], marking.is_drill(centre)
    for volunteer in volunteers:
        text, headers = body(volunteer).rstrip(), {}
        if stop_link:
            url = stop_calls_url(volunteer)
            text += "\n\n-- \n" + _("募集のお知らせメールを停止する: %(url)s") % {"url": url}
            headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        words = (subject(volunteer) if callable(subject) else subject), f"{text}\n"
        if drill:  # 【訓練】 as queue_mail marks it (ops.drills.marking)
            words = marking.mail(*words, centre)
        rows.append(OutboundMail(
            kind=kind, centre_id=getattr(centre, "pk", centre), about=about_of(volunteer), to=[volunteer.email],
            subject=words[0][:200], body=words[1],
            triggered_by=triggered_by[:60], headers=headers, state=OutboundMail.State.QUEUED))
    created = OutboundMail.objects.bulk_create(rows)  # PostgreSQL returns the ids (and each default message_id)
    ids = [mail.pk for mail in created]
    transaction.on_commit(lambda: enqueue_many(ids))
    return len(ids)


def enqueue_many(ids: list[int]) -> None:
    """ops.messages.services.enqueue for many: one publish round of a Celery group rather than one connection
    checkout per mail. With the broker down the rows say so, and the outbox's sweep hands them over later."""
    from celery import group

    from ops.messages.tasks import deliver_mail

    try:
        group(deliver_mail.si(pk) for pk in ids).apply_async()
    except Exception as exc:  # broker unreachable
        log.warning("could not queue %d mails (%s)", len(ids), type(exc).__name__)
        OutboundMail.objects.filter(pk__in=ids, state=OutboundMail.State.QUEUED).update(error="not_queued")
