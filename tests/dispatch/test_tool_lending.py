"""lend_tools / return_tools: never lend more than the centre holds."""
import pytest

from ops.dispatch.models import EquipmentKind
from ops.dispatch.services import LendingError, in_stock, lend_tools, return_tools
from tests.dispatch.conftest import make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def wheelbarrows(centre):
    return EquipmentKind.objects.create(centre=centre, name="一輪車", total=3)


def test_lending_takes_from_stock_and_returning_puts_back(centre, wheelbarrows):
    loan = lend_tools(team=make_team(centre, 2), kind=wheelbarrows, quantity=2)
    assert in_stock(wheelbarrows) == 1
    return_tools(loan=loan, quantity=1)
    assert in_stock(wheelbarrows) == 2
    loan.refresh_from_db()
    assert loan.returned_at is None  # one still out
    return_tools(loan=loan)
    loan.refresh_from_db()
    assert loan.returned_at is not None and in_stock(wheelbarrows) == 3


def test_lending_more_than_in_stock_is_refused(centre, wheelbarrows):
    lend_tools(team=make_team(centre, 2), kind=wheelbarrows, quantity=2)
    with pytest.raises(LendingError) as refused:
        lend_tools(team=make_team(centre, 2), kind=wheelbarrows, quantity=2)
    assert "残り1" in refused.value.message


@pytest.mark.parametrize("quantity", [0, -1, "two"])
def test_bad_quantities_are_refused(centre, wheelbarrows, quantity):
    with pytest.raises(LendingError):
        lend_tools(team=make_team(centre, 2), kind=wheelbarrows, quantity=quantity)


def test_returning_more_than_was_lent_is_refused(centre, wheelbarrows):
    loan = lend_tools(team=make_team(centre, 2), kind=wheelbarrows, quantity=1)
    with pytest.raises(LendingError):
        return_tools(loan=loan, quantity=2)
    return_tools(loan=loan)
    with pytest.raises(LendingError):
        return_tools(loan=loan)


def test_tools_of_another_centre_cannot_be_lent(centre, other_centre):
    theirs = EquipmentKind.objects.create(centre=other_centre, name="スコップ", total=10)
    with pytest.raises(LendingError):
        lend_tools(team=make_team(centre, 2), kind=theirs, quantity=1)
