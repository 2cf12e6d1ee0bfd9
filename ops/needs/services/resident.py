"""The resident's private link (/r/<token>/): follow the request, or tell us it is no longer needed."""
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ops import audit
from ops.needs.models import Closure, Need, NeedStatus
from ops.needs.services.errors import NeedError
from ops.needs.services.status import set_status

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
