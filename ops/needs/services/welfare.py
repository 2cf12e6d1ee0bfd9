"""福祉的支援: 危機介入 (urgent intervention) and 見守り (follow-up watch) decided at intake, survey or on the need's
page. A flag opens the household's welfare case (ops.welfare), or adds to its open one; the casework itself
lives there. 危機介入 also mails the centre's welfare staff at once (through the outbox: sent by the worker
after commit, its failure shown on the need's page and the welfare list). The mail carries the need's number
and a link, never the household's details.
"""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Centre, Role
from ops.events import emit
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail
from ops.needs.models import Need
from ops.needs.services.errors import NeedError
from ops.needs.state import need_state
from ops.welfare.models import Case
from ops.welfare.services import WelfareError, add_note, open_case

ALERT_ROLES = (Role.ADMIN, Role.WELFARE)


def apply_welfare_flag(need: Need, *, kind: str, by=None, note: str = "",
                       source: str = Case.Source.INTAKE) -> Case | None:
    """Set the flag and open (or add to) the household's case, inside the caller's transaction (no event:
    the caller emits). Returns the case the flag opened or raised to 危機介入, if any.

    A note typed is never dropped: with a category it goes on the household's case; with no category it is
    a note on the open case; with no open case to hold it, NeedError and nothing changes.
    """
    if kind not in Need.Welfare.values:
        raise NeedError(_("福祉的支援の区分を選択肢から選んでください。"))
    note = note.strip()[:2000]
    if kind == Need.Welfare.NONE:
        case = Case.objects.open().of_need(need).first()
        if note and case is None:
            raise NeedError(_("申し送りを残すには、福祉的支援の区分を選んでください。"))
        _set_flag(need, kind, by=by)
        if case is not None and note:
            add_note(case, note=note, by=by)
        return None
    _set_flag(need, kind, by=by)
    before = Case.objects.open().of_need(need).values_list("level", flat=True).first()
    try:
        case, opened = open_case(need=need, source=source, level=kind, by=by, contact_found=note)
    except WelfareError as err:
        raise NeedError(err.message) from err
    if kind == Need.Welfare.CRISIS and before != Case.Level.CRISIS:
        alert_centre_head(need)
        return case
    return case if opened else None


def _set_flag(need: Need, kind: str, *, by) -> None:
    if kind == need.welfare:
        return
    Need.objects.filter(pk=need.pk).update(welfare=kind)
    need.welfare = kind
    audit.changed(need, fields=["welfare"], by=by)


def flag_welfare(need: Need, *, kind: str, by=None, note: str = "") -> Case | None:
    """Flag (or clear) a need's welfare follow-up from the need's page (the season's staff too)."""
    with transaction.atomic(), audit.operation("need.welfare", by=by):
        locked = Need.objects.select_for_update().get(pk=need.pk)
        case = apply_welfare_flag(locked, kind=kind, by=by, note=note, source=Case.Source.STAFF)
        emit(locked.centre_id, "need.changed", {"need": need_state(locked)})
    need.welfare = locked.welfare
    return case


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
