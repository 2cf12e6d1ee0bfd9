"""Numbered tools on the one stock rule: numbering never passes the kind's total, an item is out with one team
at a time, retired items are not lent, a kind's label takes back only what the team holds of it."""
import pytest

from ops.dispatch.errors import LendingError, StockError
from ops.dispatch.models import EquipmentLoan
from ops.dispatch.services import equipment, ledger, lend_tools
from tests.desk.conftest_tools import chainsaws, desk_centre, items_of, shovels, team  # noqa: F401
from tests.dispatch.conftest import make_team

pytestmark = pytest.mark.django_db


def test_numbering_continues_after_the_last_number_and_never_passes_the_total(chainsaws):  # noqa: F811
    first, second, third = items_of(chainsaws)
    assert [first.number, second.number, third.number] == [1, 2, 3]
    with pytest.raises(StockError) as refused:
        ledger.add_items(kind=chainsaws, count=1)
    assert "あと0まで" in refused.value.message
    ledger.retire_item(item=third)
    (fourth,) = ledger.add_items(kind=chainsaws, count=1)
    assert fourth.number == 4  # a number is never worn by two tools


def test_writing_off_below_the_numbered_items_is_refused(chainsaws):  # noqa: F811
    with pytest.raises(StockError):
        ledger.record_movement(kind=chainsaws, reason="broken", quantity=1)
    ledger.retire_item(item=items_of(chainsaws)[0])
    ledger.record_movement(kind=chainsaws, reason="broken", quantity=1)
    chainsaws.refresh_from_db()
    assert chainsaws.total == 2


def test_an_item_is_out_with_one_team_at_a_time(desk_centre, team, chainsaws):  # noqa: F811
    saw = items_of(chainsaws)[0]
    loan = equipment.lend_item(team=team, item=saw)
    assert (loan.quantity, loan.item_id, equipment.in_stock(chainsaws)) == (1, saw.pk, 2)
    other = make_team(desk_centre, 2)
    with pytest.raises(LendingError) as refused:
        equipment.lend_item(team=other, item=saw)
    assert refused.value.message == f"チェーンソー 1は{team.label}に貸出中です。"
    with pytest.raises(LendingError):
        equipment.lend_item(team=team, item=saw)
    with pytest.raises(StockError):
        ledger.retire_item(item=saw)  # back first
    equipment.return_item(item=saw)
    assert equipment.lend_item(team=other, item=saw).team_id == other.pk


def test_a_retired_item_and_an_item_beyond_stock_are_refused(team, chainsaws):  # noqa: F811
    saw1, saw2, saw3 = items_of(chainsaws)
    ledger.retire_item(item=saw1)
    with pytest.raises(LendingError, match="使用を終了"):
        equipment.lend_item(team=team, item=saw1)
    lend_tools(team=team, kind=chainsaws, quantity=3)  # by count: the stock rule counts numbered items too
    with pytest.raises(LendingError, match="在庫が足りません"):
        equipment.lend_item(team=team, item=saw2)
    assert not EquipmentLoan.objects.filter(item__isnull=False).exists()


def test_a_kinds_label_takes_back_from_the_teams_loans_of_it_all_or_nothing(desk_centre, team, shovels):  # noqa: F811
    first = lend_tools(team=team, kind=shovels, quantity=2)
    second = lend_tools(team=team, kind=shovels, quantity=3)
    lend_tools(team=make_team(desk_centre, 2), kind=shovels, quantity=4)
    with pytest.raises(LendingError, match="5です"):
        equipment.return_kind(team=team, kind=shovels, quantity=6)
    assert equipment.in_stock(shovels) == 1  # nothing came back
    equipment.return_kind(team=team, kind=shovels, quantity=3)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.returned_at is not None and (second.returned_quantity, second.returned_at) == (1, None)
    assert equipment.in_stock(shovels) == 4


def test_a_kinds_label_does_not_take_back_numbered_items(team, chainsaws):  # noqa: F811
    equipment.lend_item(team=team, item=items_of(chainsaws)[1])
    with pytest.raises(LendingError, match="番号ごとのラベル"):
        equipment.return_kind(team=team, kind=chainsaws, quantity=1)
