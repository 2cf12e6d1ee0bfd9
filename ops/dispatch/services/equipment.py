"""資機材の貸出: tools lent to a team and brought back. Stock is checked under a lock on the tool's row,
so two coordinators lending the last shovels cannot both succeed."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.dispatch.errors import LendingError
from ops.dispatch.models import EquipmentKind, EquipmentLoan, Team
from ops.dispatch.state import team_state
from ops.events import emit


def lent_out(kind: EquipmentKind) -> int:
    return kind.lent_out()


def in_stock(kind: EquipmentKind) -> int:
    return kind.in_stock()


def lend_tools(*, team: Team, kind: EquipmentKind, quantity, by=None) -> EquipmentLoan:
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise LendingError(_("数量は数字で入力してください。")) from None
    if quantity < 1:
        raise LendingError(_("数量は1以上で入力してください。"))
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        kind = EquipmentKind.objects.select_for_update().get(pk=kind.pk)
        if kind.centre_id != team.centre_id:
            raise LendingError(_("別のセンターの資機材です。"))
        if kind.retired_at is not None:
            raise LendingError(_("%(name)sは使用を終了しています。") % {"name": kind.name})
        if team.status in (Team.Status.DISBANDED,):
            raise LendingError(_("解散した班には貸し出せません。"))
        available = in_stock(kind)
        if quantity > available:
            raise LendingError(_("%(name)sの在庫が足りません（残り%(left)d）。") % {"name": kind.name, "left": available})
        loan = EquipmentLoan.objects.create(kind=kind, team=team, quantity=quantity)
        emit(team.centre_id, "team.tools", {"team": team_state(team), "kind_id": kind.pk, "lent": quantity})
    return loan


def return_tools(*, loan: EquipmentLoan, quantity=None, by=None) -> EquipmentLoan:
    """Bring back `quantity` (default: all that is still out). The loan closes when everything is back."""
    with transaction.atomic():
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
