"""Several 受付スキャン desks at once, on real PostgreSQL (threads, each its own connection, released together):
three desks scanning overlapping people for three needs and sending, and a desk racing the map board's send on
one need. Nobody ends up in two teams, each desk is told the truth, no team is left behind without a dispatch,
and no deadlock (lock order: need, people, centre, new team)."""
import pytest
from django.db import connection

from ops.desk.models import DeskClaim, DeskDraft
from ops.desk.services import scan as scanning
from ops.dispatch.models import Dispatch, Team
from ops.dispatch.services import DispatchRefused, dispatch
from ops.volunteers.models import Attendance
from tests.conftest import run_together
from tests.desk import conftest_scan as fx
from tests.desk.conftest_scan import need, person
from tests.dispatch.conftest import make_team

desk_centre = fx.desk_centre  # the fixture

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL (make test)")


def desk_run(centre, key, job, people):
    """One desk: the need, each person (refusals noted), 送り出す. Returns what the desk was told."""
    draft = scanning.open_draft(centre, key)
    scanning.set_need(draft, job)
    held, refused = [], []
    for a in people:
        try:
            scanning.claim(draft, a)
            held.append(a.pk)
        except scanning.DeskError as err:
            refused.append((a.pk, err.message))
    try:
        record = scanning.send(draft, expected=held)
    except scanning.DeskError as err:
        return {"held": held, "refused": refused, "sent": None, "error": err.message}
    return {"held": held, "refused": refused, "sent": record.team_id, "error": ""}


def test_three_desks_scanning_overlapping_people_never_put_one_in_two_teams(desk_centre):
    people = [person(desk_centre) for _ in range(6)]
    needs = [need(desk_centre, people=4) for _ in range(3)]
    # Desk i scans four people starting at 2i: each person is wanted by two desks.
    picks = [[people[(2 * i + k) % 6] for k in range(4)] for i in range(3)]

    results, errors = run_together(3, lambda i: desk_run(desk_centre, f"desk-{i}", needs[i], picks[i]))

    assert errors == [None, None, None]
    held = [pk for r in results for pk in r["held"]]
    assert len(held) == len(set(held)) == 6  # every person held by exactly one desk
    for r in results:
        for pk, message in r["refused"]:  # the truth: held by another desk, or (if it sent first) in its team
            team = Attendance.objects.get(pk=pk).team
            assert "別のデスク" in message or (team is not None and team.label in message), message
        assert len(r["held"]) + len(r["refused"]) == 4
        if not r["held"]:  # the others were faster for all four: told so, and nothing to send
            assert r["sent"] is None and "QR" in r["error"]
            continue
        assert r["sent"] is not None and r["error"] == ""
        assert sorted(Attendance.objects.filter(team_id=r["sent"]).values_list("pk", flat=True)) == sorted(r["held"])
    sent = sum(1 for r in results if r["sent"])
    assert Team.objects.filter(centre=desk_centre).count() == sent >= 2
    assert Dispatch.objects.filter(team__centre=desk_centre, status="active").count() == sent  # no orphan team
    assert not DeskClaim.objects.exists() and not DeskDraft.objects.exists()


def test_a_desk_and_the_map_board_sending_to_one_need_at_once_one_wins_and_nothing_is_left(desk_centre):
    rounds = 4
    jobs = [need(desk_centre, people=2) for _ in range(rounds)]
    teams = [make_team(desk_centre, 2) for _ in range(rounds)]
    drafts = []
    for i, job in enumerate(jobs):
        draft = scanning.open_draft(desk_centre, f"desk-{i}")
        scanning.set_need(draft, job)
        for a in (person(desk_centre), person(desk_centre)):
            scanning.claim(draft, a)
        drafts.append(draft)

    def act(i):
        r, k = divmod(i, 2)
        return scanning.send(drafts[r]) if k == 0 else dispatch(teams[r], jobs[r])

    results, errors = run_together(2 * rounds, act)

    assert [e for e in errors if e is not None and not isinstance(e, (scanning.DeskError, DispatchRefused))] == []
    for r, job in enumerate(jobs):
        desk_won, board_won = results[2 * r] is not None, results[2 * r + 1] is not None
        assert desk_won != board_won  # room for one team of two: exactly one goes
        loser = errors[2 * r + 1] if desk_won else errors[2 * r]
        assert "必要人数は2人" in loser.message
        assert Dispatch.objects.filter(need=job, status="active").count() == 1
    # The desk's losers formed no team: only the board's teams and the desks' winners exist.
    desk_wins = sum(1 for r in range(rounds) if results[2 * r] is not None)
    assert Team.objects.filter(centre=desk_centre).count() == rounds + desk_wins
    assert not Team.objects.filter(centre=desk_centre, status=Team.Status.READY).exclude(
        pk__in=[t.pk for t in teams]).exists()
