"""資機材デスク: a team first (its slip's QR, a member's personal QR, or T-03 typed), then tool labels, each
lent to the team (lend mode) or taken back (return mode) as it is scanned. What a scan names is read by
ops.desk.codes; lending and returning are ops.dispatch.services.equipment's (their stock rule and refusals).
The desk holds no state here: the page sends the team it has chosen with each tool scan."""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ops.desk import codes
from ops.desk.codes import ScanError
from ops.dispatch import selectors
from ops.dispatch.errors import DispatchError
from ops.dispatch.models import Team
from ops.dispatch.services import equipment

LEND, RETURN = "lend", "return"
TEAM_CODES = frozenset({"team", "volunteer"})
TOOL_CODES = frozenset({"item", "tool"})


class DeskRefusal(Exception):
    """A scan the desk refuses, in words for the desk (nothing was written)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass
class Answer:
    team: Team
    message: str
    changed: bool  # a tool was lent or taken back (the team chosen otherwise)


def team_of(centre, pk) -> Team:
    """The team a desk page sends back with a tool scan: today's, at this centre."""
    team = chosen_team(centre, pk)
    if team is None:
        raise DeskRefusal(_("先に班のQRコード（送り出し票かメンバーの個人QR）を読み取ってください。"))
    return team


def chosen_team(centre, pk) -> Team | None:
    """The desk's chosen team, if any (to redraw its list beside a refusal)."""
    pk = str(pk or "")
    if not (pk.isascii() and pk.isdigit()) or len(pk) > 9:  # not a row id (and never past PostgreSQL's integer)
        return None
    return Team.objects.filter(centre=centre, date=centre.today(), pk=int(pk)).first()


def _team_scanned(scan) -> Team:
    if scan.kind == "team":
        team = scan.obj
    else:
        team = scan.obj.team
        if team is None or team.date != scan.obj.date:
            raise DeskRefusal(_("この方はまだ班に入っていません。"))
    if team.status == Team.Status.DISBANDED:
        raise DeskRefusal(_("%(team)sは解散しています。") % {"team": team.label})
    return team


def scan(centre, text, *, mode, team_pk=None, by=None, actor="") -> Answer:
    """One scan at the tool desk: a team's code chooses the team; a tool's label is lent to it or taken back."""
    if mode not in (LEND, RETURN):
        raise DeskRefusal(_("貸出か返却かを選んでください。"))
    try:
        read = codes.read(centre, text, expect=TEAM_CODES | TOOL_CODES)
    except ScanError as err:
        raise DeskRefusal(err) from None
    if read.kind in TEAM_CODES:
        team = _team_scanned(read)
        return Answer(team, _("%(team)sを選びました。資機材のラベルを読み取ってください。") % {"team": team.label}, False)
    # a numbered item comes back whoever brings it; anything else needs the team chosen
    item_back = mode == RETURN and read.kind == "item" and not team_pk
    team = None if item_back else team_of(centre, team_pk)
    try:
        return _tool(team, read, mode, by=by, actor=actor)
    except DispatchError as err:
        raise DeskRefusal(err.message) from None


def _tool(team, read, mode, *, by, actor) -> Answer:
    if mode == LEND:
        if read.kind == "item":
            equipment.lend_item(team=team, item=read.obj, by=by, actor=actor)
            return Answer(team, _("%(item)sを%(team)sに貸し出しました。") % {"item": read.obj, "team": team.label}, True)
        equipment.lend_tools(team=team, kind=read.obj, quantity=read.count, by=by, actor=actor)
        return Answer(team, _("%(name)s ×%(n)dを%(team)sに貸し出しました。")
                      % {"name": read.obj.name, "n": read.count, "team": team.label}, True)
    if read.kind == "item":
        loan = equipment.return_item(item=read.obj, by=by, actor=actor)
        if team is not None and loan.team_id != team.pk:
            return Answer(team, _("%(item)sは%(other)sの貸出でした。%(other)sの返却として記録しました。")
                          % {"item": read.obj, "other": loan.team.label}, True)
        return Answer(team or loan.team, _("%(item)sの返却を記録しました。") % {"item": read.obj}, True)
    equipment.return_kind(team=team, kind=read.obj, quantity=read.count, by=by, actor=actor)
    return Answer(team, _("%(name)s ×%(n)dの返却を記録しました（%(team)s）。")
                  % {"name": read.obj.name, "n": read.count, "team": team.label}, True)


def team_tools(team) -> list[dict]:
    """Every loan of the team (its day's), out or back, for the desk's list and the slip."""
    return [loan_row(loan) for loan in selectors.team_loans(team)]


def loan_row(loan) -> dict:
    return {"name": loan.kind.name, "number": loan.item.number if loan.item_id else None,
            "quantity": loan.quantity, "out": loan.still_out, "returned": loan.returned_at is not None}


def state(team) -> dict:
    """What the desk page shows of a team: its label and status, its tools; no names (a desk volunteer's page)."""
    return {"id": team.pk, "label": team.label, "status": team.get_status_display(),
            "people": team.members.count(), "tools": team_tools(team)}
