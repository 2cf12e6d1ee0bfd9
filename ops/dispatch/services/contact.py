"""連絡済み: a team past its return time (帰着予定超過) that staff have reached, by phone or otherwise. The mark is
on the team's active dispatch (who and when), so the teams page and the board stop calling for someone to
phone, and how long an overdue team went unnoticed can be read afterwards (the drills' after-action review)."""
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.dispatch import selectors  # the module, not its names: selectors imports this package too
from ops.dispatch.errors import DispatchRefused
from ops.dispatch.models import Dispatch, Team
from ops.dispatch.state import team_state
from ops.events import emit


def mark_contacted(team: Team, *, centre, by=None, at: datetime | None = None) -> Dispatch:
    """Record that staff reached `team` (of `centre`), which is out past its return time. Refused, with
    nothing written, for another centre's team, a team not overdue, and a team already marked."""
    at = at or timezone.now()
    with transaction.atomic(), audit.operation("dispatch.contacted", by=by):
        team = Team.objects.select_for_update().select_related("centre").filter(pk=team.pk).first()
        if team is None or team.centre_id != centre.pk:
            raise DispatchRefused(_("別のセンターの班です。"), code="other_centre")
        record = Dispatch.objects.active().select_for_update().filter(team=team).first()
        if record is None or not selectors.is_overdue(team, at):
            raise DispatchRefused(_("%(team)sは帰着予定を過ぎていません。") % {"team": team.label}, code="not_overdue")
        if record.contacted_at is not None:
            raise DispatchRefused(_("%(team)sはすでに連絡済みです（%(time)s）。") % {
                "team": team.label, "time": timezone.localtime(record.contacted_at, centre.tz).strftime("%H:%M")},
                code="already")
        record.contacted_at = at
        record.contacted_by = by if by is not None and getattr(by, "is_authenticated", False) else None
        record.save(update_fields=["contacted_at", "contacted_by"])
        emit(team.centre, "dispatch.contacted", {
            "team": contacted_state(team, record), "dispatch": {"id": record.pk, "contacted_at": at.isoformat()}})
    return record


def contacted_state(team: Team, record: Dispatch | None) -> dict:
    """The board's team state with `contacted_at` (the active dispatch's mark, or None)."""
    state = team_state(team, need_id=record.need_id if record else None)
    state["contacted_at"] = record.contacted_at.isoformat() if record and record.contacted_at else None
    return state
