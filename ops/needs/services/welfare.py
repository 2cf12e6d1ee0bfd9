"""福祉的支援: 危機介入 (urgent intervention) and 見守り (follow-up watch) decided at intake or survey.

A flag always leaves a referral to the council's general consultation (総合相談); 危機介入 also mails the
centre head at once (through the outbox: sent by the worker after commit, its failure shown on the need's
page and the welfare list). The mail carries the need's number and a link, never the household's details.
"""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Centre, Role
from ops.events import emit
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail
from ops.needs.models import Need, Referral
from ops.needs.services.errors import NeedError
from ops.needs.state import need_state

ALERT_ROLES = (Role.ADMIN, Role.WELFARE)


def apply_welfare_flag(need: Need, *, kind: str, by=None, note: str = "") -> Referral | None:
    """Set the flag and record the referral, inside the caller's transaction (no event: the caller emits).
    Returns the referral this made, if any.

    A note typed is never dropped: saved again with the same category while its referral is open, it is
    a follow-up on that referral; saved with no category it goes on the latest referral; with no referral
    to hold it, NeedError and nothing changes.
    """
    if kind not in Need.Welfare.values:
        raise NeedError(_("福祉的支援の区分を選択肢から選んでください。"))
    note = note.strip()[:2000]
    previous = need.welfare
    if kind == Need.Welfare.NONE:
        latest = need.referrals.order_by(F("closed_at").desc(nulls_first=True), "-created_at", "-pk").first()
        if note and latest is None:
            raise NeedError(_("申し送りを残すには、福祉的支援の区分を選んでください。"))
        _set_flag(need, kind, by=by)
        if latest is not None:
            latest.add_note(note, by=by)
        return None
    open_referral = need.referrals.filter(kind=kind, closed_at__isnull=True).order_by("-created_at", "-pk").first()
    _set_flag(need, kind, by=by)
    if kind == previous and open_referral is not None:
        open_referral.add_note(note, by=by)  # a follow-up, not a second referral
        return None
    referral = Referral.objects.create(need=need, kind=kind, note=note, created_by=by,
                                       referred_to=_("総合相談"))
    if kind == Need.Welfare.CRISIS:
        alert_centre_head(need)
    return referral


def _set_flag(need: Need, kind: str, *, by) -> None:
    if kind == need.welfare:
        return
    Need.objects.filter(pk=need.pk).update(welfare=kind)
    need.welfare = kind
    audit.changed(need, fields=["welfare"], by=by)


def flag_welfare(need: Need, *, kind: str, by=None, note: str = "") -> Referral | None:
    """Flag (or clear) a need's welfare follow-up from the need's page or the survey."""
    with transaction.atomic(), audit.operation("need.welfare", by=by):
        locked = Need.objects.select_for_update().get(pk=need.pk)
        referral = apply_welfare_flag(locked, kind=kind, by=by, note=note)
        emit(locked.centre_id, "need.changed", {"need": need_state(locked)})
    need.welfare = locked.welfare
    return referral


def close_referral(referral: Referral, *, by=None, note: str = "") -> Referral:
    """The welfare staff closed the case (handed over, resolved)."""
    if referral.closed_at:
        raise NeedError(_("この紹介はすでに終了しています。"))
    with transaction.atomic():
        referral.closed_at = timezone.now()
        referral.save(update_fields=["closed_at"])
        referral.add_note(note, by=by)
    return referral


def alert_staff(centre_id: int):
    """The staff a 危機介入 alert goes to: the centre's active administrators and welfare staff with a mail."""
    return get_user_model().objects.filter(
        memberships__centre_id=centre_id, memberships__role__in=ALERT_ROLES, is_active=True,
    ).exclude(email="").distinct().order_by("username")


def alert_recipients(centre_id: int) -> list[str]:
    """Every address of the alert: alert_staff and the addresses the centre's settings page adds."""
    centre = Centre.objects.filter(pk=centre_id).only("crisis_alert_emails").first()
    listed = set(centre.crisis_alert_extra()) if centre else set()
    return sorted({u.email for u in alert_staff(centre_id)} | listed)


def alert_centre_head(need: Need) -> OutboundMail:
    """Queue the 危機介入 alert to the centre's administrators and welfare staff, in the caller's transaction (a
    rolled-back intake alerts nobody). In the centre's language, whoever flagged it: it is read at the centre."""
    centre = need.centre
    url = settings.SITE_URL + reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk})
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("【危機介入】%(label)s（%(district)s）") % {"label": need.label, "district": need.district or "-"}
        body = _(
            "%(centre)s で危機介入が必要なニーズが登録されました。\n\n"
            "受付番号: %(label)s\n地区: %(district)s\n\n"
            "至急、内容を確認し、総合相談と連携してください。\n%(url)s\n\n"
            "（このメールには個人情報を記載していません。詳細はログインして確認してください。）"
        ) % {"centre": centre.name, "label": need.label, "district": need.district or "-", "url": url}
    return queue_mail(kind=OutboundMail.Kind.CRISIS_ALERT, centre=centre, about=need,
                      to=alert_recipients(centre.pk), subject=subject, body=body)
