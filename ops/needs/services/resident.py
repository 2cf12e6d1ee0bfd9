"""The resident's private link (/r/<token>/): follow the request, tell us it is no longer needed, and take
that back the same day if it was a mistake."""
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ops import audit
from ops.needs.models import Closure, Need, NeedStatus
from ops.needs.services.errors import NeedError
from ops.needs.services.status import set_status
from ops.needs.transitions import allowed

# A resident may close the request until a team is on its way; after that a call reaches the team in time.
RESIDENT_MAY_CLOSE = frozenset({NeedStatus.NEW, NeedStatus.SURVEYED, NeedStatus.READY, NeedStatus.ON_HOLD,
                                NeedStatus.CONTINUING})
RESIDENT_CLOSURES = {
    Closure.NO_LONGER_NEEDED: gettext_lazy("依頼者がリンクから取下げ（不要になった）"),
    Closure.HELPED_ELSEWHERE: gettext_lazy("依頼者がリンクから連絡（他の支援で解決済み）"),
}


def need_for_token(token: str) -> Need | None:
    if not token or len(token) > 64:
        return None
    return Need.objects.select_related("centre").filter(reference_token=token).first()


def withdraw(need: Need, *, closure: str = Closure.NO_LONGER_NEEDED) -> Need:
    """「もう必要ない」/「他で解決した」 from the resident's link: the need is cancelled with that reason."""
    if closure not in RESIDENT_CLOSURES:
        raise NeedError(_("選択肢から選んでください。"))
    with transaction.atomic(), audit.operation("need.withdrawn", actor="resident"):
        # Checked under the row lock: a dispatch committing meanwhile must win over the resident's tap.
        status = Need.objects.select_for_update().filter(pk=need.pk).values_list("status", flat=True).get()
        if status not in RESIDENT_MAY_CLOSE:
            raise NeedError(
                _("ボランティアの派遣がすでに決まっているか、受付が終了しています。"
                  "お手数ですがセンター（%(phone)s）までお電話ください。") % {"phone": need.centre.phone or "-"}
            )
        return set_status(need, NeedStatus.CANCELLED, actor="resident",
                          reason=str(RESIDENT_CLOSURES[closure]), closure=closure)


def withdrawal_undo_day(need: Need) -> date | None:
    """The centre's day until the end of which the resident may take their withdrawal back, or None.

    Only while the withdrawal is still the need's last status change (staff have not acted on it) and its
    day on the centre's clock has not ended: after that, a call reaches someone who can decide."""
    if need.status != NeedStatus.CANCELLED:
        return None
    last = need.history.order_by("-at", "-id").first()
    if last is None or last.actor != "resident" or last.to_status != NeedStatus.CANCELLED:
        return None
    day = need.centre.day_of(last.at)
    return day if need.centre.today() == day else None


def undo_withdrawal(need: Need) -> Need:
    """Take back the resident's withdrawal: the need returns where it stood (through 新規受付, rows of the
    transition table), or stays 新規受付 when the table has no way back (staff then decide)."""
    with transaction.atomic():
        locked = Need.objects.select_for_update().select_related("centre").get(pk=need.pk)
        if withdrawal_undo_day(locked) is None:
            raise NeedError(
                _("取下げを取り消せる期間を過ぎたか、センターがすでに対応しています。"
                  "お手数ですがセンター（%(phone)s）までお電話ください。") % {"phone": locked.centre.phone or "-"}
            )
        before = locked.history.order_by("-at", "-id").values_list("from_status", flat=True).first()
        reason = str(_("依頼者がリンクから取下げを取り消し"))
        set_status(locked, NeedStatus.NEW, actor="resident", reason=reason)
        if before and before != NeedStatus.NEW and allowed(NeedStatus.NEW, before):
            set_status(locked, before, actor="resident", reason=reason)
    need.status, need.version, need.closure = locked.status, locked.version, locked.closure
    return need
