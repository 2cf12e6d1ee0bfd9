"""Several tool desks at once, on real PostgreSQL: the same numbered item scanned for different teams is lent
once, and every other desk is told which team has it."""
import pytest
from django.db import connection

from ops.dispatch.errors import DispatchError
from ops.dispatch.models import EquipmentLoan
from ops.dispatch.services import equipment, ledger
from tests.conftest import run_together
from tests.dispatch.conftest import centre, make_team  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]
DESKS = 6


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL (make test)")


def test_one_item_scanned_at_several_desks_at_once_is_lent_once(centre):  # noqa: F811
    kind = ledger.add_kind(centre=centre, name="チェーンソー", quantity=2)
    saw, _ = ledger.add_items(kind=kind, count=2)
    teams = [make_team(centre, 1) for _ in range(DESKS)]

    results, failures = run_together(DESKS, lambda i: equipment.lend_item(team=teams[i], item=saw))

    unexpected = [repr(e) for e in failures if e is not None and not isinstance(e, DispatchError)]
    assert unexpected == []
    (loan,) = EquipmentLoan.objects.filter(item=saw)
    told = {e.message for e in failures if isinstance(e, DispatchError)}
    assert told == {f"チェーンソー 1は{loan.team.label}に貸出中です。"}
    assert len([r for r in results if r is not None]) == 1 and equipment.in_stock(kind) == 1
