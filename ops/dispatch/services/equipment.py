"""資機材の貸出: tools lent to a team and brought back. Stock is checked under a lock on the tool's row,
so two coordinators lending the last shovels cannot both succeed. A numbered item (EquipmentItem, scanned at
the tool desk) is lent as quantity 1 of its kind under the same lock and the same stock rule; it is out with
one team at a time (the kind's lock, and equipment_item_out_once under it)."""
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.dispatch.errors import LendingError
from ops.dispatch.models import EquipmentItem, EquipmentKind, EquipmentLoan, Team
from ops.dispatch.state import team_state
from ops.events import emit


def lent_out(kind: EquipmentKind) -> int:
    return kind.lent_out()


def in_stock(kind: EquipmentKind) -> int:
    return kind.in_stock()


def lend_tools(*, team: Team, kind: EquipmentKind, quantity, by=None, actor: str = "", item=None) -> EquipmentLoan:
    """Lend `quantity` of `kind` to `team`; with `item`, that numbered item (quantity 1)."""
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise LendingError(_("数量は数字で入力してください。")) from None
    if quantity < 1:
        raise LendingError(_("数量は1以上で入力してください。"))
    if item is not None and (quantity != 1 or item.kind_id != kind.pk):
        raise LendingError(_("番号付きの資機材は1つずつ貸し出します。"))
    try:
        with transaction.atomic(), audit.operation("tools.lent", by=by, actor=actor, centre=team.centre_id):
            team = Team.objects.select_for_update().get(pk=team.pk)
            kind = EquipmentKind.objects.select_for_update().get(pk=kind.pk)
            if kind.centre_id != team.centre_id:
                raise LendingError(_("別のセンターの資機材です。"))
            if kind.retired_at is not None:
                raise LendingError(_("%(name)sは使用を終了しています。") % {"name": kind.name})
            if team.status in (Team.Status.DISBANDED,):
                raise LendingError(_("解散した班には貸し出せません。"))
            if item is not None:
                _item_refusal(EquipmentItem.objects.get(pk=item.pk), team)
            available = in_stock(kind)
            if quantity > available:
                raise LendingError(_("%(name)sの在庫が足りません（残り%(left)d）。")
                                   % {"name": kind.name, "left": available})
            loan = EquipmentLoan.objects.create(kind=kind, team=team, quantity=quantity, item=item)
            emit(team.centre_id, "team.tools", {"team": team_state(team), "kind_id": kind.pk, "lent": quantity})
    except IntegrityError:  # equipment_item_out_once: only if a write skipped the kind's lock
        if item is None:
            raise
        raise LendingError(_("%(item)sはすでに貸出中です。") % {"item": item}) from None
    return loan


def _item_refusal(item, team) -> None:
    """Inside the lending transaction, with the item's kind locked."""
    if item.retired_at is not None:
        raise LendingError(_("%(item)sは使用を終了しています。") % {"item": item})
    out = EquipmentLoan.objects.outstanding().filter(item=item).select_related("team").first()
    if out is not None:
        if out.team_id == team.pk:
            raise LendingError(_("%(item)sはすでにこの班に貸出中です。") % {"item": item})
        raise LendingError(_("%(item)sは%(team)sに貸出中です。") % {"item": item, "team": out.team.label})


def lend_item(*, team: Team, item: EquipmentItem, by=None, actor: str = "") -> EquipmentLoan:
    """A numbered item scanned at the tool desk: quantity 1 of its kind, naming the item."""
    return lend_tools(team=team, kind=item.kind, quantity=1, by=by, actor=actor, item=item)


def return_item(*, item: EquipmentItem, by=None, actor: str = "") -> EquipmentLoan:
    """A numbered item back at the desk: its open loan closes, whichever team had it."""
    loan = EquipmentLoan.objects.outstanding().filter(item=item).first()
    if loan is None:
        raise LendingError(_("%(item)sは貸出中ではありません。") % {"item": item})
    return return_tools(loan=loan, by=by, actor=actor)


def return_kind(*, team: Team, kind: EquipmentKind, quantity, by=None, actor: str = "") -> list[EquipmentLoan]:
    """`quantity` of `kind` back from `team` (a kind's label scanned at the desk), taken from the team's open
    loans of the kind that name no item, oldest first; all or nothing."""
    with transaction.atomic(), audit.operation("tools.returned", by=by, actor=actor, centre=team.centre_id):
        loans = list(EquipmentLoan.objects.outstanding().select_for_update()
                     .filter(team=team, kind=kind, item__isnull=True).order_by("lent_at", "pk"))
        out = sum(loan.still_out for loan in loans)
        if out == 0:
            numbered = EquipmentLoan.objects.outstanding().filter(team=team, kind=kind).exists()
            raise LendingError(_("%(name)sは番号ごとのラベルを読み取ってください。") % {"name": kind.name} if numbered
                               else _("%(team)sに貸出中の%(name)sはありません。")
                               % {"team": team.label, "name": kind.name})
        if quantity > out:
            raise LendingError(_("%(team)sに貸出中の%(name)sは%(n)dです。")
                               % {"team": team.label, "name": kind.name, "n": out})
        touched, left = [], quantity
        for loan in loans:
            if left == 0:
                break
            take = min(left, loan.still_out)
            touched.append(return_tools(loan=loan, quantity=take, by=by, actor=actor))
            left -= take
    return touched


def return_tools(*, loan: EquipmentLoan, quantity=None, by=None, actor: str = "") -> EquipmentLoan:
    """Bring back `quantity` (default: all that is still out). The loan closes when everything is back."""
    with transaction.atomic(), audit.operation("tools.returned", by=by, actor=actor):
        loan = EquipmentLoan.objects.select_for_update(of=("self",)).select_related("team").get(pk=loan.pk)
        outstanding = loan.quantity - loan.returned_quantity
        if loan.returned_at is not None or outstanding <= 0:
            raise LendingError(_("この貸出はすでに返却済みです。"))
        try:
            quantity = outstanding if quantity in (None, "") else int(quantity)
        except (TypeError, ValueError):
            raise LendingError(_("数量は数字で入力してください。")) from None
        if not 1 <= quantity <= outstanding:
            raise LendingError(_("返却数は1〜%(n)dで入力してください。") % {"n": outstanding})
        loan.returned_quantity += quantity
        if loan.returned_quantity >= loan.quantity:
            loan.returned_at = timezone.now()
        loan.save(update_fields=["returned_quantity", "returned_at"])
        emit(loan.team.centre_id, "team.tools", {"team": team_state(loan.team), "kind_id": loan.kind_id,
                                                 "returned": quantity})
    return loan
