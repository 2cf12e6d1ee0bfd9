"""Dispatch services: every write of teams, dispatches, return reports and tool loans goes through here (the tool
ledger and consumables: ops.dispatch.services.ledger and .consumables)."""
from ops.dispatch.errors import (
    DispatchError,
    DispatchRefused,
    LendingError,
    ReportRefused,
    StockError,
    TeamError,
)
from ops.dispatch.services.contact import mark_contacted
from ops.dispatch.services.dispatching import (
    cancel_dispatch,
    day_refusal,
    dispatch,
    dispatch_refusal,
    need_refusal,
    skill_refusal,
    team_refusal,
)
from ops.dispatch.services.equipment import in_stock, lend_tools, return_tools
from ops.dispatch.services.field import arrive
from ops.dispatch.services.returns import file_return_report, slip_closed, slip_refusal
from ops.dispatch.services.teams import (
    Proposal,
    SkillCall,
    disband_team,
    form_team,
    make_ready,
    needed_skills,
    propose_teams,
    skill_order,
)

__all__ = [
    "DispatchError", "DispatchRefused", "LendingError", "Proposal", "ReportRefused", "SkillCall", "StockError",
    "TeamError", "arrive", "cancel_dispatch", "day_refusal", "disband_team", "dispatch", "dispatch_refusal",
    "file_return_report", "form_team", "in_stock", "lend_tools", "make_ready", "mark_contacted", "need_refusal", "needed_skills",
    "propose_teams", "return_tools", "skill_order", "skill_refusal", "slip_closed", "slip_refusal", "team_refusal",
]
