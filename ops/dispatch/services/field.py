"""現地到着: the leader taps "arrived" on the slip; the team is on site and the need in progress."""
from django.db import transaction
from django.utils.translation import gettext as _

from ops.dispatch.errors import ReportRefused
from ops.dispatch.models import Dispatch, Team
from ops.dispatch.services.returns import slip_closed
from ops.dispatch.state import team_state
from ops.dispatch.transitions import change_team_status
from ops.events import emit
from ops.needs.models import Need, NeedStatus
from ops.needs.state import need_state
from ops.needs.transitions import change_status


def arrive(dispatch: Dispatch, *, by=None, via: str = "leader") -> Dispatch:
    """Mark the team on site. Pressing twice is harmless: the second press changes nothing."""
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=dispatch.team_id)
        need = Need.objects.select_for_update().get(pk=dispatch.need_id)
        dispatch = Dispatch.objects.select_for_update(of=("self",)).select_related("centre").get(pk=dispatch.pk)
        closed = slip_closed(dispatch) if via == "leader" else None
        if closed:
            raise ReportRefused(closed[1], code=closed[0])
        if dispatch.status != Dispatch.Status.ACTIVE:
            raise ReportRefused(_("この送り出しはすでに終わっています。"), code="already_filed")
        if team.status == Team.Status.ON_SITE:
            return dispatch
        change_team_status(team, Team.Status.ON_SITE)
        if need.status == NeedStatus.ASSIGNED:
            change_status(need, NeedStatus.IN_PROGRESS, by=by, actor="" if by else f"leader:{team.label}",
                          reason=team.label)
        emit(dispatch.centre, "dispatch.arrived", {"team": team_state(team, need_id=need.pk),
                                                   "need": need_state(need)})
    return dispatch
