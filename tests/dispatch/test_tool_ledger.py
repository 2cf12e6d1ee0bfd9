"""The tool ledger (資機材台帳): a kind's total is the sum of its movements; what goes out must be at the desk;
a retired kind is not lent but keeps its history; every write is in the audit trail."""
import pytest

from ops.centres.models import AuditEntry
from ops.dispatch.models import EquipmentKind, EquipmentMovement
from ops.dispatch.services import LendingError, StockError, lend_tools, return_tools
from ops.dispatch.services.ledger import add_kind, record_movement, reinstate_kind, rename_kind, retire_kind
from tests import factories
from tests.dispatch.conftest import make_team

pytestmark = pytest.mark.django_db
R = EquipmentMovement.Reason


def ledger_sum(kind) -> int:
    return sum(kind.movements.values_list("delta", flat=True))


@pytest.fixture
def shovels(centre):
    return add_kind(centre=centre, name="スコップ", unit="本", quantity=10)


def test_a_new_kind_starts_with_its_first_stock_on_the_ledger(centre, shovels):
    assert shovels.total == 10 and shovels.unit == "本"
    assert list(shovels.movements.values_list("reason", "delta")) == [(R.RECEIVED, 10)]


def test_stock_in_and_out_keeps_the_total_the_ledgers_sum(centre, shovels):
    record_movement(kind=shovels, reason=R.DONATED, quantity=5, note="社協A")
    record_movement(kind=shovels, reason=R.BOUGHT, quantity=2)
    record_movement(kind=shovels, reason=R.BROKEN, quantity=3)
    record_movement(kind=shovels, reason=R.LOST, quantity=1)
    shovels.refresh_from_db()
    assert shovels.total == 13 == ledger_sum(shovels)
    assert shovels.movements.get(reason=R.BROKEN).delta == -3


def test_tools_with_a_team_cannot_be_written_off_until_they_are_back(centre, shovels):
    loan = lend_tools(team=make_team(centre, 2), kind=shovels, quantity=8)
    with pytest.raises(StockError) as refused:
        record_movement(kind=shovels, reason=R.BROKEN, quantity=3)
    assert "2" in refused.value.message
    return_tools(loan=loan)
    record_movement(kind=shovels, reason=R.BROKEN, quantity=3)
    shovels.refresh_from_db()
    assert shovels.total == 7 and shovels.in_stock() == 7


def test_lending_cannot_go_past_what_is_in_stock_after_a_write_off(centre, shovels):
    record_movement(kind=shovels, reason=R.LOST, quantity=9)
    with pytest.raises(LendingError):
        lend_tools(team=make_team(centre, 2), kind=shovels, quantity=2)


@pytest.mark.parametrize("quantity", [0, -2, "x", None, 100_001])
def test_bad_quantities_write_nothing(centre, shovels, quantity):
    with pytest.raises(StockError):
        record_movement(kind=shovels, reason=R.RECEIVED, quantity=quantity)
    assert shovels.movements.count() == 1


def test_an_unknown_reason_is_refused(centre, shovels):
    with pytest.raises(StockError):
        record_movement(kind=shovels, reason="stolen_by_aliens", quantity=1)


def test_a_retired_kind_is_not_lent_but_keeps_its_history_and_takes_back_what_is_out(centre, shovels):
    loan = lend_tools(team=make_team(centre, 2), kind=shovels, quantity=2)
    retire_kind(kind=shovels)
    with pytest.raises(LendingError) as refused:
        lend_tools(team=make_team(centre, 2), kind=shovels, quantity=1)
    assert "使用を終了" in refused.value.message
    return_tools(loan=loan)
    assert EquipmentKind.objects.filter(centre=centre).lendable().count() == 0
    assert shovels.loans.count() == 1 and shovels.movements.count() == 1
    reinstate_kind(kind=shovels)
    lend_tools(team=make_team(centre, 2), kind=shovels, quantity=1)


def test_rename_and_duplicate_names(centre, shovels):
    add_kind(centre=centre, name="一輪車")
    with pytest.raises(StockError):
        rename_kind(kind=shovels, name="一輪車")
    with pytest.raises(StockError):
        add_kind(centre=centre, name="  一輪車 ")
    renamed = rename_kind(kind=shovels, name="角スコップ", unit="丁")
    assert (renamed.name, renamed.unit) == ("角スコップ", "丁")
    with pytest.raises(StockError):
        rename_kind(kind=shovels, name="   ")


def test_the_same_name_is_free_at_another_centre(centre, other_centre, shovels):
    assert add_kind(centre=other_centre, name="スコップ").centre == other_centre


def test_every_ledger_write_is_audited_under_its_operation(centre):
    user = factories.make_user()
    kind = add_kind(centre=centre, name="土のう袋", quantity=5, by=user)
    record_movement(kind=kind, reason=R.BROKEN, quantity=1, by=user)
    retire_kind(kind=kind, by=user)
    actions = list(AuditEntry.objects.filter(centre=centre, user=user).values_list("action", "object_type"))
    assert ("tools.kind_added", "dispatch.equipmentkind") in actions
    assert ("tools.kind_added", "dispatch.equipmentmovement") in actions
    assert ("tools.stock_moved", "dispatch.equipmentmovement") in actions
    assert ("tools.kind_retired", "dispatch.equipmentkind") in actions
    assert kind.movements.get(reason=R.BROKEN).by == user


def test_history_lists_movements_and_loans_newest_first(centre, shovels):
    team = make_team(centre, 2)
    loan = lend_tools(team=team, kind=shovels, quantity=3)
    return_tools(loan=loan, quantity=1)
    record_movement(kind=shovels, reason=R.LOST, quantity=1)
    rows = list(shovels.history())
    assert [r[1] for r in rows] == ["movement", "loan", "movement"]
    assert rows[0][2] == -1 and rows[1][2] == 3 and rows[1][5] == team.number and rows[1][7] == 1
    assert rows[2][2] == 10


def test_the_ledger_reads_for_exports_are_one_centres_in_time_order(centre, other_centre, shovels):
    add_kind(centre=other_centre, name="スコップ", quantity=4)
    record_movement(kind=shovels, reason=R.BOUGHT, quantity=2)
    lines = list(EquipmentMovement.objects.ledger(centre))
    assert [m.delta for m in lines] == [10, 2] and all(m.kind.centre_id == centre.pk for m in lines)
