"""Dispatch services: every write of teams, dispatches, return reports and tool loans goes through here."""
from ops.dispatch.errors import DispatchError, DispatchRefused, LendingError, ReportRefused, TeamError
from ops.dispatch.services.dispatching import active_people, cancel_dispatch, dispatch
from ops.dispatch.services.equipment import in_stock, lend_tools, return_tools
from ops.dispatch.services.field import arrive
from ops.dispatch.services.returns import file_return_report, slip_refusal
from ops.dispatch.services.teams import Proposal, disband_team, form_team, make_ready, propose_teams

__all__ = [
    "DispatchError", "DispatchRefused", "LendingError", "Proposal", "ReportRefused", "TeamError",
    "active_people", "arrive", "cancel_dispatch", "disband_team", "dispatch", "file_return_report", "form_team",
    "in_stock", "lend_tools", "make_ready", "propose_teams", "return_tools", "slip_refusal",
]
