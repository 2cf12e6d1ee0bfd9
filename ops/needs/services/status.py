"""Status changes of a need as the centre sees them: the transition table decides, the board is told."""
from django.db import transaction
from django.utils.translation import gettext as _

from ops import audit
from ops.events import emit
from ops.needs.models import Closure, Need, NeedStatus
from ops.needs.services.errors import NeedError
from ops.needs.state import need_state
from ops.needs.transitions import IllegalTransition, change_status

# Statuses that follow from a team's dispatch and return report: staff do not set them by hand.
DISPATCH_OWNED = frozenset({NeedStatus.ASSIGNED, NeedStatus.IN_PROGRESS})


def public_delta(from_status: str, to_status: str) -> dict | None:
    """What the public board's counters gain from this change (completed needs are a public figure)."""
    if to_status == NeedStatus.COMPLETED and from_status != NeedStatus.COMPLETED:
        return {"needs_completed": 1}
    if from_status == NeedStatus.COMPLETED and to_status != NeedStatus.COMPLETED:
        return {"needs_completed": -1}
    return None


def set_status(need: Need, to: str, *, by=None, actor: str = "", reason: str = "", closure: str = "") -> Need:
    """Move the need to `to` through the transition table and tell the boards (need.changed).

    Raises IllegalTransition (with the user's message) when the table refuses.
    """
    with transaction.atomic(), audit.operation("need.status", by=by, actor=actor):
        locked = Need.objects.select_for_update().get(pk=need.pk)
        change = change_status(locked, to, by=by, actor=actor, reason=reason)
        if closure or locked.closure:
            locked.closure = closure if to == NeedStatus.CANCELLED else ""
            locked.save(update_fields=["closure", "updated_at"])
        emit(locked.centre_id, "need.changed", {"need": need_state(locked), "from": change.from_status,
                                                "to": change.to_status},
             public=public_delta(change.from_status, change.to_status))
    need.status, need.version, need.closure = locked.status, locked.version, locked.closure
    return need


def manual_targets(need: Need) -> list[str]:
    """Statuses staff may choose by hand on the need's page, in table order."""
    from ops.needs.transitions import TRANSITIONS

    return [s for s in NeedStatus.values if s in TRANSITIONS.get(need.status, ()) and s not in DISPATCH_OWNED]


def set_status_by_hand(need: Need, to: str, *, by, reason: str = "", closure: str = "") -> Need:
    """A staff member's change on the need's page. While a team is out on the need, its dispatch and
    return report move the status, so a hand change could contradict where the team is."""
    if to in DISPATCH_OWNED:
        raise IllegalTransition(_("「班決定」「活動中」は送り出しの操作で変わります。"))
    if need.dispatches.active().exists():
        raise NeedError(_("このニーズには活動中の班がいます。活動報告で状況を更新してください。"))
    if to == NeedStatus.CANCELLED and not reason.strip():
        raise NeedError(_("取下げの理由を入力してください。"))
    if closure and closure not in Closure.values:
        raise NeedError(_("終了の理由を選択肢から選んでください。"))
    return set_status(need, to, by=by, reason=reason, closure=closure)
