"""Lending and writing off the same tools at the same moment, on real PostgreSQL: the kind's row lock orders
them, so the desk never goes below zero and the ledger's sum stays the kind's total."""
import pytest
from django.db import connection

from ops.dispatch.errors import DispatchError
from ops.dispatch.models import EquipmentKind, EquipmentMovement
from ops.dispatch.services import lend_tools
from ops.dispatch.services.consumables import add_consumable, hand_out
from ops.dispatch.services.ledger import add_kind, record_movement, retire_kind
from tests.conftest import run_together
from tests.dispatch.conftest import make_team

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]
THREADS = 8


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL (make test)")


def _split(failures):
    refusals = [e for e in failures if isinstance(e, DispatchError)]
    errors = [repr(e) for e in failures if e is not None and not isinstance(e, DispatchError)]
    return refusals, errors


def test_writing_off_and_lending_the_last_tools_at_once_never_goes_below_zero(centre):
    kind = add_kind(centre=centre, name="一輪車", quantity=THREADS // 2)
    teams = [make_team(centre, 2) for _ in range(THREADS // 2)]

    def act(i):
        if i % 2:
            return lend_tools(team=teams[i // 2], kind=kind, quantity=1)
        return record_movement(kind=kind, reason=EquipmentMovement.Reason.BROKEN, quantity=1)

    results, failures = run_together(THREADS, act)
    refusals, errors = _split(failures)
    assert errors == []
    assert len([r for r in results if r is not None]) == THREADS // 2 and len(refusals) == THREADS // 2
    lent = sum(1 for i, r in enumerate(results) if r is not None and i % 2)
    written_off = sum(1 for i, r in enumerate(results) if r is not None and not i % 2)
    kind = EquipmentKind.objects.with_stock().get(pk=kind.pk)
    assert lent + written_off == THREADS // 2  # each wheelbarrow either lent or written off, never both
    assert (kind.out, kind.total, kind.available) == (lent, THREADS // 2 - written_off, 0)
    assert kind.total == sum(kind.movements.values_list("delta", flat=True))


def test_retiring_a_kind_while_lending_it_lends_only_before_the_retirement(centre):
    kind = add_kind(centre=centre, name="スコップ", quantity=50)
    teams = [make_team(centre, 2) for _ in range(THREADS - 1)]

    def act(i):
        if i == 0:
            return retire_kind(kind=kind)
        return lend_tools(team=teams[i - 1], kind=kind, quantity=1)

    results, failures = run_together(THREADS, act)
    refusals, errors = _split(failures)
    assert errors == [] and failures[0] is None
    kind.refresh_from_db()
    assert kind.retired_at is not None
    for loan in kind.loans.all():  # every loan that went through was taken before the kind was retired
        assert loan.lent_at <= kind.retired_at
    assert kind.loans.count() + len(refusals) == THREADS - 1


def test_two_desks_handing_out_the_last_boxes_cannot_both_succeed(centre):
    water = add_consumable(centre=centre, name="飲料水", quantity=THREADS // 2)
    results, failures = run_together(THREADS, lambda i: hand_out(item=water, quantity=1))
    refusals, errors = _split(failures)
    assert errors == [] and len(refusals) == THREADS // 2
    assert water.on_hand() == 0
