"""The one table of allowed team status changes (班の状況). Every path (forming, dispatch, arrival, return
report, cancelling a dispatch, back to waiting, disbanding) changes a team's status through
`change_team_status`, as needs go through ops.needs.transitions."""
from django.utils.translation import gettext as _

from ops.dispatch.errors import TeamError
from ops.dispatch.models import Team

T = Team.Status
# A new team waits for its need at once (services.teams.form_team); FORMING is kept for teams made by hand.
INITIAL = T.READY
TRANSITIONS: dict[str, frozenset[str]] = {
    T.FORMING: frozenset({T.READY, T.DISBANDED}),
    T.READY: frozenset({T.DISPATCHED, T.DISBANDED}),
    T.DISPATCHED: frozenset({T.ON_SITE, T.RETURNED, T.READY}),  # ready: the dispatch was cancelled
    T.ON_SITE: frozenset({T.RETURNED}),  # work has started: only the return report brings it back
    T.RETURNED: frozenset({T.READY, T.DISBANDED}),
    T.DISBANDED: frozenset(),
}
# Out of the centre: a team here has exactly one active dispatch, and leaves these statuses only once that
# dispatch is over (returned or cancelled).
IN_FIELD = frozenset({T.DISPATCHED, T.ON_SITE})


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def change_team_status(team: Team, to: str, **fields) -> Team:
    """Move `team` to `to`, together with `fields` (expected_return_at, leader ...), and bump its version.

    The caller holds the team locked (select_for_update) in its transaction; the status is read again
    under that lock, so the check and the write agree. Raises TeamError with the reason otherwise.
    """
    if to not in T.values:
        raise TeamError(_("不明な班の状況です: %(to)s") % {"to": to})
    current = Team.objects.select_for_update().filter(pk=team.pk).values_list("status", flat=True).get()
    leaving_field = current in IN_FIELD and to not in IN_FIELD
    if not allowed(current, to) or (leaving_field and team.dispatches.active().exists()):
        raise TeamError(_refusal(team, current, to))
    team.status = to
    for name, value in fields.items():
        setattr(team, name, value)
    team.version += 1
    team.save(update_fields=["status", "version", *fields])
    return team


def _refusal(team: Team, current: str, to: str) -> str:
    if current == T.ON_SITE:
        return _("%(team)sは現地で活動中です。戻ったら活動報告を入力してください。") % {"team": team.label}
    if current == T.DISPATCHED:
        return _("%(team)sは出発しています。活動報告を入力するか、送り出しを取り消してください。") % {
            "team": team.label}
    return _("%(team)sは「%(from)s」から「%(to)s」にはできません。") % {
        "team": team.label, "from": T(current).label, "to": T(to).label}
