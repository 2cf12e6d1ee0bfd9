"""dispatch(team, need): a team is on one need at a time, a need is not sent more people than it needs,
the team is back by the centre's latest return time. Runs on SQLite and PostgreSQL."""
import json

import pytest

from ops.centres.models import Event
from ops.dispatch.models import Dispatch, Team
from ops.dispatch.services import DispatchRefused, dispatch
from ops.needs.models import NeedStatus
from tests import factories
from tests.dispatch.conftest import at_local, make_ready_need, make_team, today

pytestmark = pytest.mark.django_db


def test_dispatch_assigns_the_need_and_sends_the_team(centre, staff):
    coordinator = staff("coordinator")
    team = make_team(centre, 3)
    need = make_ready_need(centre, people_needed=5)

    record = dispatch(team, need, by=coordinator)

    need.refresh_from_db()
    team.refresh_from_db()
    assert need.status == NeedStatus.ASSIGNED
    assert need.history.last().to_status == NeedStatus.ASSIGNED
    assert team.status == Team.Status.DISPATCHED
    assert record.people == 3 and record.status == Dispatch.Status.ACTIVE
    assert record.dispatched_by == coordinator
    assert team.expected_return_at == record.expected_return_at


def test_dispatch_publishes_team_and_need_state_without_personal_data(centre):
    team = make_team(centre, 2)
    need = make_ready_need(centre, requester_name="避難 太郎", phone="090-8765-4321", address="テスト市川端町7-7")
    dispatch(team, need)

    event = Event.objects.get(centre=centre, kind="dispatch.created")
    assert event.payload["team"]["id"] == team.pk
    assert event.payload["team"]["need_id"] == need.pk
    assert event.payload["team"]["status"] == "dispatched"
    assert event.payload["need"]["status"] == "assigned"
    text = json.dumps(event.payload, ensure_ascii=False)
    assert "避難" not in text and "8765" not in text and "川端町" not in text
    assert event.public is None


def test_a_team_cannot_be_on_two_needs(centre):
    team = make_team(centre, 2)
    first, second = make_ready_need(centre), make_ready_need(centre)
    dispatch(team, first)

    with pytest.raises(DispatchRefused) as refused:
        dispatch(team, second)
    assert "すでに別のニーズ" in refused.value.message
    second.refresh_from_db()
    assert second.status == NeedStatus.READY
    assert Dispatch.objects.filter(team=team).count() == 1


def test_a_need_is_not_sent_more_people_than_it_needs(centre):
    need = make_ready_need(centre, people_needed=4)
    dispatch(make_team(centre, 3), need)
    late = make_team(centre, 2)

    with pytest.raises(DispatchRefused) as refused:
        dispatch(late, need)
    assert "必要人数は4人" in refused.value.message
    late.refresh_from_db()
    assert late.status == Team.Status.READY


def test_a_big_need_takes_a_second_team_while_the_first_is_there(centre):
    need = make_ready_need(centre, people_needed=6)
    dispatch(make_team(centre, 3), need)
    dispatch(make_team(centre, 3), need)
    need.refresh_from_db()
    assert need.status == NeedStatus.ASSIGNED
    assert need.dispatches.filter(status="active").count() == 2


def test_a_team_larger_than_the_need_is_refused(centre):
    with pytest.raises(DispatchRefused):
        dispatch(make_team(centre, 4), make_ready_need(centre, people_needed=3))


@pytest.mark.parametrize("status", [NeedStatus.NEW, NeedStatus.SURVEYED, NeedStatus.COMPLETED,
                                    NeedStatus.CANCELLED, NeedStatus.ON_HOLD])
def test_needs_not_ready_for_matching_are_refused(centre, status):
    need = factories.make_need(centre, status=status)
    with pytest.raises(DispatchRefused) as refused:
        dispatch(make_team(centre, 2), need)
    assert need.label in refused.value.message
    need.refresh_from_db()
    assert need.status == status


def test_a_continuing_need_can_be_dispatched_again(centre):
    need = make_ready_need(centre, status=NeedStatus.CONTINUING)
    dispatch(make_team(centre, 2), need)
    need.refresh_from_db()
    assert need.status == NeedStatus.ASSIGNED


def test_the_team_is_due_back_by_the_centres_latest_return_time(centre):
    centre.latest_return_time = at_local(centre, 15, 30).time()
    centre.save()
    team = make_team(centre, 2)
    record = dispatch(team, make_ready_need(centre), at=at_local(centre, 9, 0),
                      return_by=at_local(centre, 17, 0))
    assert record.expected_return_at == at_local(centre, 15, 30)


def test_an_earlier_return_time_is_kept(centre):
    record = dispatch(make_team(centre, 2), make_ready_need(centre), at=at_local(centre, 9, 0),
                      return_by=at_local(centre, 12, 0))
    assert record.expected_return_at == at_local(centre, 12, 0)


def test_no_dispatch_after_the_latest_return_time(centre):
    centre.latest_return_time = at_local(centre, 15, 30).time()
    centre.save()
    team, need = make_team(centre, 2), make_ready_need(centre)
    with pytest.raises(DispatchRefused) as refused:
        dispatch(team, need, at=at_local(centre, 15, 40))
    assert "15:30" in refused.value.message
    need.refresh_from_db()
    assert need.status == NeedStatus.READY


def test_a_need_of_another_centre_is_refused(centre, other_centre):
    with pytest.raises(DispatchRefused):
        dispatch(make_team(centre, 2), make_ready_need(other_centre))


def test_team_size_counts_people_still_at_work(centre):
    team = make_team(centre, 3)
    gone = team.members.first()
    gone.checked_out_at = gone.checked_in_at
    gone.save()
    record = dispatch(team, make_ready_need(centre, people_needed=2))
    assert record.people == 2


def test_a_refused_dispatch_leaves_nothing_behind(centre):
    need = make_ready_need(centre, people_needed=2)
    team = make_team(centre, 3)
    events_before = Event.objects.count()
    with pytest.raises(DispatchRefused):
        dispatch(team, need)
    assert not Dispatch.objects.exists()
    assert Event.objects.count() == events_before
    assert not need.history.exists()


def test_sequential_double_dispatch_is_refused(centre):
    """On SQLite writers are serialised (IMMEDIATE); the second of two identical presses loses cleanly."""
    team, need = make_team(centre, 2), make_ready_need(centre, people_needed=2)
    dispatch(team, need)
    with pytest.raises(DispatchRefused):
        dispatch(team, need)
    with pytest.raises(DispatchRefused):
        dispatch(make_team(centre, 2), need)
    assert Dispatch.objects.filter(need=need).count() == 1
    assert today(centre) == Dispatch.objects.get().date


def test_the_partial_unique_index_allows_one_active_dispatch_per_team(centre):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    team = make_team(centre, 2)
    first, second = make_ready_need(centre), make_ready_need(centre)
    fields = {"centre": centre, "team": team, "date": today(centre), "people": 2, "dispatched_at": timezone.now(),
                  "expected_return_at": timezone.now()}
    Dispatch.objects.create(need=first, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dispatch.objects.create(need=second, **fields)


def test_a_race_caught_by_the_index_gets_the_same_clear_message(centre, monkeypatch):
    from django.db import IntegrityError

    from ops.dispatch.services import dispatching

    def slipped_past_the_checks(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint dispatch_one_active_per_team")

    monkeypatch.setattr(dispatching, "_dispatch_locked", slipped_past_the_checks)
    with pytest.raises(DispatchRefused) as refused:
        dispatch(make_team(centre, 2), make_ready_need(centre))
    assert "すでに別のニーズ" in refused.value.message
