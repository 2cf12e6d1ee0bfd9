"""The one table of allowed need status changes. Every path (intake, survey, board, dispatch, return
report, resident's link, import, API) changes a need's status through `change_status`."""
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ops import audit
from ops.needs.models import Need, NeedStatus, NeedStatusChange

S = NeedStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.SURVEYED, S.READY, S.CANCELLED, S.ON_HOLD}),
    S.SURVEYED: frozenset({S.READY, S.CANCELLED, S.ON_HOLD}),
    S.READY: frozenset({S.ASSIGNED, S.CANCELLED, S.ON_HOLD}),
    # continuing: the dispatch of a need worked on an earlier day was taken back (ops.dispatch cancel_dispatch)
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.READY, S.CONTINUING, S.CANCELLED, S.ON_HOLD}),
    S.IN_PROGRESS: frozenset({S.CONTINUING, S.COMPLETED, S.READY, S.ON_HOLD}),
    S.CONTINUING: frozenset({S.ASSIGNED, S.COMPLETED, S.CANCELLED, S.ON_HOLD}),
    # completed from on hold: a partner organisation finished the whole of a technical need (ops.partners)
    S.ON_HOLD: frozenset({S.NEW, S.SURVEYED, S.READY, S.CANCELLED, S.COMPLETED}),
    S.COMPLETED: frozenset({S.CONTINUING}),  # reopened when the resident calls back
    S.CANCELLED: frozenset({S.NEW}),  # withdrawn by mistake
}
# Statuses in which a team may be sent (dispatch uses this).
DISPATCHABLE = frozenset({S.READY, S.CONTINUING, S.ASSIGNED, S.IN_PROGRESS})
OPEN = frozenset({S.NEW, S.SURVEYED, S.READY, S.ASSIGNED, S.IN_PROGRESS, S.CONTINUING, S.ON_HOLD})


class IllegalTransition(Exception):
    """Raised with a message for the user when a status change is not in the table."""


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def change_status(need: Need, to: str, *, by=None, actor: str = "", reason: str = "") -> NeedStatusChange:
    """Move `need` to status `to`, record the history line, bump the version.

    The caller should hold the need locked (select_for_update) when the change races with others (dispatch,
    return report); this function re-reads the status under that lock so the check and the write agree.
    The UPDATE passes no save signal, so the change is put on the need's audit entry here.
    """
    if to not in S.values:
        raise IllegalTransition(_("不明な状況です: %(to)s") % {"to": to})
    with transaction.atomic():
        current = Need.objects.select_for_update().filter(pk=need.pk).values_list("status", flat=True).get()
        if not allowed(current, to):
            raise IllegalTransition(
                _("「%(from)s」から「%(to)s」には変更できません。")
                % {"from": S(current).label, "to": S(to).label}
            )
        Need.objects.filter(pk=need.pk).update(status=to, version=F("version") + 1)
        need.status = to
        need.version = Need.objects.filter(pk=need.pk).values_list("version", flat=True).get()
        audit.changed(need, fields=["status"], by=by, actor=actor)
        return NeedStatusChange.objects.create(
            need=need, from_status=current, to_status=to, by=by if by and by.is_authenticated else None,
            actor=actor, reason=reason[:300],
        )
