"""Two (or sixteen) coordinators pressing "dispatch" at the same moment, on real PostgreSQL: each thread has
its own connection and they start together at a barrier. Exactly one wins; the rest are refused cleanly."""
import pytest
from django.db import connection

from ops.dispatch.models import Dispatch, Team
from ops.dispatch.services import DispatchRefused, dispatch
from ops.needs.models import NeedStatus
from tests.conftest import run_together
from tests.dispatch.conftest import make_ready_need, make_team

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]
THREADS = 16


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL (make test)")


def race(pairs):
    """Run dispatch(team, need) for every pair at once; return (successes, refusals, other errors)."""
    results, failures = run_together(len(pairs), lambda i: dispatch(*pairs[i]))
    wins = [r for r in results if r is not None]
    refusals = [e.message for e in failures if isinstance(e, DispatchRefused)]
    # deadlocks, serialisation failures: the test must see them
    errors = [repr(e) for e in failures if e is not None and not isinstance(e, DispatchRefused)]
    return wins, refusals, errors


def test_one_team_sent_to_many_needs_at_once_goes_to_exactly_one(centre):
    team = make_team(centre, 3)
    needs = [make_ready_need(centre, people_needed=5) for _ in range(THREADS)]

    wins, refusals, errors = race([(team, need) for need in needs])

    assert errors == []
    assert len(wins) == 1 and len(refusals) == THREADS - 1
    assert all("すでに別のニーズ" in message for message in refusals)
    assert Dispatch.objects.filter(team=team, status="active").count() == 1
    assert Team.objects.get(pk=team.pk).status == Team.Status.DISPATCHED
    statuses = sorted(n.status for n in type(needs[0]).objects.filter(pk__in=[n.pk for n in needs]))
    assert statuses.count(NeedStatus.ASSIGNED) == 1
    assert statuses.count(NeedStatus.READY) == THREADS - 1


def test_many_teams_sent_to_a_need_with_room_for_one_only_one_goes(centre):
    need = make_ready_need(centre, people_needed=2)
    teams = [make_team(centre, 2) for _ in range(THREADS)]

    wins, refusals, errors = race([(team, need) for team in teams])

    assert errors == []
    assert len(wins) == 1 and len(refusals) == THREADS - 1
    assert all("必要人数は2人" in message for message in refusals)
    assert Dispatch.objects.filter(need=need, status="active").count() == 1
    assert Team.objects.filter(pk__in=[t.pk for t in teams], status=Team.Status.DISPATCHED).count() == 1
    need.refresh_from_db()
    assert need.status == NeedStatus.ASSIGNED
    assert need.history.filter(to_status=NeedStatus.ASSIGNED).count() == 1


def test_a_need_with_room_for_three_teams_takes_exactly_three(centre):
    need = make_ready_need(centre, people_needed=6)
    teams = [make_team(centre, 2) for _ in range(THREADS)]

    wins, refusals, errors = race([(team, need) for team in teams])

    assert errors == []
    assert len(wins) == 3 and len(refusals) == THREADS - 3
    assert sum(d.people for d in Dispatch.objects.filter(need=need, status="active")) == 6


def test_event_sequence_stays_gap_free_under_the_race(centre):
    from ops.centres.models import Event

    need = make_ready_need(centre, people_needed=4)
    teams = [make_team(centre, 2) for _ in range(THREADS)]
    before = list(Event.objects.filter(centre=centre).values_list("seq", flat=True))
    race([(team, need) for team in teams])
    seqs = list(Event.objects.filter(centre=centre).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(seqs) == len(before) + 2
