"""A volunteer's personal link (個人リンク): who may receive it, and renewing it.

The link is the volunteer's key (their QR at reception, their page, their check-in), so it only ever goes to
what the volunteer registered: a returning volunteer recognised by an anonymous form, and a phone that signs
in by number and kana, get it by mail at the address on record, never in the page. The volunteer (from their
page) or reception can renew it: a new token, the old link and the cookies holding it dead at once.
"""
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Centre
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail
from ops.volunteers.models import Attendance, Volunteer
from ops.volunteers.qr import absolute

# Why the link was mailed again: the audit action of each (its words are in ops.audit.ACTIONS).
WHY = {
    "register": "volunteer.link_on_register",  # an anonymous registration matched them
    "signin": "volunteer.link_on_signin",  # a phone asked for it by number and kana
    "renew": "volunteer.link_renewed",  # a new link replaced the old one
}


def link_of(volunteer: Volunteer) -> str:
    return absolute(reverse("volunteers:personal", kwargs={"token": volunteer.token}))


def home_centre(volunteer: Volunteer) -> Centre | None:
    """The centre a volunteer's own acts are recorded at: where they registered, else where they last came."""
    if volunteer.registered_centre_id:
        return volunteer.registered_centre
    last = Attendance.objects.filter(volunteer=volunteer).select_related("centre").order_by("-date").first()
    return last.centre if last else None


def mail_link_on_record(volunteer: Volunteer, *, centre: Centre | None, why: str) -> OutboundMail:
    """Mail the volunteer's link to the address they registered, and write it in the centre's audit trail.
    With no address on record the outbox row is failed at once (no_recipients): the mail page shows it."""
    with transaction.atomic():
        audit.happened(WHY[why], volunteer, centre=centre)
        return queue_mail(kind=OutboundMail.Kind.VOLUNTEER_LINK, centre=centre, about=volunteer,
                          to=[volunteer.email], subject=_subject(volunteer, centre, why),
                          body=_body(volunteer, centre, why))


def renew_link(volunteer: Volunteer, *, centre: Centre | None = None, by=None) -> Volunteer:
    """Give the volunteer a new personal link; the old one (and every cookie or API client holding it) stops
    working. Reception's renewal (`by` a staff user) mails the new link to the address on record; without
    `by` the volunteer renewed it on their own page, which shows the new one."""
    centre = centre if centre is not None else home_centre(volunteer)
    with transaction.atomic():
        volunteer.token = secrets.token_urlsafe()
        Volunteer.objects.filter(pk=volunteer.pk).update(token=volunteer.token)
        actor = "" if by is not None else f"volunteer:{volunteer.pk}"
        with audit.operation(WHY["renew"], by=by, actor=actor, centre=centre):
            audit.changed(volunteer, fields=["token"], centre=centre)
        if by is not None:
            queue_mail(kind=OutboundMail.Kind.VOLUNTEER_LINK, centre=centre, about=volunteer, to=[volunteer.email],
                       subject=_subject(volunteer, centre, "renew"), body=_body(volunteer, centre, "renew"))
    return volunteer


def _subject(volunteer, centre, why) -> str:
    name = centre.name if centre is not None else _("災害ボランティアセンター")
    if why == "renew":
        return _("【%(centre)s】個人リンクを再発行しました") % {"centre": name}
    return _("【%(centre)s】ボランティアの個人リンク") % {"centre": name}


def _body(volunteer, centre, why) -> str:
    name = centre.name if centre is not None else _("災害ボランティアセンター")
    lead = {
        "register": _("%(centre)sのボランティア登録フォームに、あなたの登録と同じ電話番号・お名前（またはメールアドレス）"
                      "が入力されました。あなたの登録はそのままです。"),
        "signin": _("%(centre)sで、あなたの電話番号とフリガナによる呼び出しがありました。"),
        "renew": _("%(centre)sの受付で、あなたの個人リンクを再発行しました。以前のリンクは使えなくなりました。"),
    }[why] % {"centre": name}
    return _("%(name)s 様\n\n%(lead)s\n受付のときは、このリンクを開いてからセンターのQRコードを読み取ってください。\n\n"
             "%(link)s\n\nこのリンクは他の人に教えないでください。心当たりがない場合は、センターの受付にお知らせ"
             "ください。リンクを再発行して、以前のリンクを使えなくします。\n") % {
        "name": volunteer.name, "lead": lead, "link": link_of(volunteer)}
