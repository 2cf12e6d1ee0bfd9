import pytest

from ops.centres.models import Event, Role
from ops.needs.models import NeedStatus
from ops.needs.services import NeedError, manual_targets, set_status, set_status_by_hand
from ops.needs.transitions import IllegalTransition
from tests import factories

pytestmark = pytest.mark.django_db
S = NeedStatus


def test_set_status_emits_need_changed_with_from_and_to(centre):
    need = factories.make_need(centre)
    set_status(need, S.SURVEYED, reason="調査")
    event = Event.objects.get(kind="need.changed")
    assert (event.payload["from"], event.payload["to"]) == ("new", "surveyed")
    assert event.payload["need"]["status"] == "surveyed"
    assert event.public is None


def test_completion_counts_publicly_and_reopening_takes_it_back(centre):
    need = factories.make_need(centre, status=S.IN_PROGRESS)
    set_status(need, S.COMPLETED)
    assert Event.objects.get(kind="need.changed", payload__to="completed").public == {"needs_completed": 1}
    set_status(need, S.CONTINUING, reason="再依頼")
    assert Event.objects.get(kind="need.changed", payload__to="continuing").public == {"needs_completed": -1}


def test_illegal_change_emits_nothing(centre):
    need = factories.make_need(centre)
    with pytest.raises(IllegalTransition):
        set_status(need, S.COMPLETED)
    assert not Event.objects.exists()
    assert not need.history.exists()


def test_hand_changes_offer_only_table_targets_without_dispatch_owned_ones(centre):
    assert manual_targets(factories.make_need(centre, status=S.READY)) == [S.CANCELLED, S.ON_HOLD]
    assert manual_targets(factories.make_need(centre, status=S.IN_PROGRESS)) == [S.READY, S.CONTINUING, S.COMPLETED,
                                                                                S.ON_HOLD]


def test_hand_change_to_assigned_is_refused(centre):
    need = factories.make_need(centre, status=S.READY)
    with pytest.raises(IllegalTransition):
        set_status_by_hand(need, S.ASSIGNED, by=factories.make_user(Role.INTAKE, centre))


def test_cancelling_by_hand_needs_a_reason_and_keeps_the_closure(centre):
    user = factories.make_user(Role.INTAKE, centre)
    need = factories.make_need(centre)
    with pytest.raises(NeedError):
        set_status_by_hand(need, S.CANCELLED, by=user, reason=" ")
    set_status_by_hand(need, S.CANCELLED, by=user, reason="親族が対応", closure="helped_elsewhere")
    need.refresh_from_db()
    assert need.status == S.CANCELLED and need.closure == "helped_elsewhere"
    assert need.history.last().reason == "親族が対応"
    set_status_by_hand(need, S.NEW, by=user, reason="誤って取下げ")
    need.refresh_from_db()
    assert need.closure == ""  # back on the list: no closure reason any more


def test_hand_change_is_refused_while_a_team_is_out(centre):
    from django.utils import timezone

    from ops.dispatch.models import Dispatch, Team

    need = factories.make_need(centre, status=S.IN_PROGRESS)
    team = Team.objects.create(centre=centre, date=timezone.localdate(), number=1)
    Dispatch.objects.create(centre=centre, team=team, need=need, date=timezone.localdate(), people=5,
                            dispatched_at=timezone.now(), expected_return_at=timezone.now())
    with pytest.raises(NeedError):
        set_status_by_hand(need, S.ON_HOLD, by=None, reason="雨天")
    need.refresh_from_db()
    assert need.status == S.IN_PROGRESS
