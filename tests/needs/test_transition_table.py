"""The one transition table, checked pair by pair: every allowed change works and leaves a history line,
every other change is refused with a message and changes nothing."""
import itertools

import pytest

from ops.centres.models import Role
from ops.needs.models import Need, NeedStatus
from ops.needs.transitions import DISPATCHABLE, OPEN, TRANSITIONS, IllegalTransition, change_status
from tests import factories

S = NeedStatus
EXPECTED = {
    S.NEW: {S.SURVEYED, S.READY, S.CANCELLED, S.ON_HOLD},
    S.SURVEYED: {S.READY, S.CANCELLED, S.ON_HOLD},
    S.READY: {S.ASSIGNED, S.CANCELLED, S.ON_HOLD},
    S.ASSIGNED: {S.IN_PROGRESS, S.READY, S.CONTINUING, S.CANCELLED, S.ON_HOLD},
    S.IN_PROGRESS: {S.CONTINUING, S.COMPLETED, S.READY, S.ON_HOLD},
    S.CONTINUING: {S.ASSIGNED, S.COMPLETED, S.CANCELLED, S.ON_HOLD},
    S.ON_HOLD: {S.NEW, S.SURVEYED, S.READY, S.CANCELLED, S.COMPLETED},  # a partner finished a technical need
    S.COMPLETED: {S.CONTINUING},
    S.CANCELLED: {S.NEW},
}
PAIRS = list(itertools.product(S.values, S.values))


def test_the_table_is_the_documented_flow():
    assert {k: set(v) for k, v in TRANSITIONS.items()} == EXPECTED
    assert set(TRANSITIONS) == set(S.values)


def test_open_and_dispatchable_sets():
    assert S.COMPLETED not in OPEN and S.CANCELLED not in OPEN
    assert set(OPEN) == set(S.values) - {S.COMPLETED, S.CANCELLED}
    assert DISPATCHABLE <= OPEN and S.NEW not in DISPATCHABLE


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_each_pair_is_allowed_or_refused_as_the_table_says(centre, from_status, to_status):
    user = factories.make_user(Role.INTAKE, centre)
    need = factories.make_need(centre, status=from_status)
    before = need.version
    if to_status in EXPECTED[from_status]:
        change = change_status(need, to_status, by=user, reason="テスト")
        need.refresh_from_db()
        assert need.status == to_status
        assert need.version == before + 1
        assert (change.from_status, change.to_status, change.by, change.reason) == (from_status, to_status, user,
                                                                                    "テスト")
        assert change.at is not None
    else:
        with pytest.raises(IllegalTransition) as err:
            change_status(need, to_status, by=user)
        assert "変更できません" in str(err.value)
        need.refresh_from_db()
        assert need.status == from_status
        assert need.version == before
        assert not need.history.exists()


@pytest.mark.django_db
def test_unknown_status_is_refused(centre):
    need = factories.make_need(centre)
    with pytest.raises(IllegalTransition):
        change_status(need, "flying")
    assert Need.objects.get(pk=need.pk).status == S.NEW


@pytest.mark.django_db
def test_the_check_uses_the_stored_status_not_a_stale_copy(centre):
    need = factories.make_need(centre, status=S.READY)
    stale = Need.objects.get(pk=need.pk)
    change_status(need, S.CANCELLED)
    with pytest.raises(IllegalTransition):
        change_status(stale, S.ASSIGNED)  # the copy still says ready; the row says cancelled
