"""The one table of team status changes: pair by pair, and no path around it."""
import itertools
import re
from pathlib import Path

import pytest

from ops.dispatch.errors import TeamError
from ops.dispatch.models import Team
from ops.dispatch.services import (
    arrive,
    cancel_dispatch,
    disband_team,
    dispatch,
    file_return_report,
    make_ready,
)
from ops.dispatch.transitions import IN_FIELD, TRANSITIONS, change_team_status
from tests.dispatch.conftest import make_ready_need, make_team

T = Team.Status
EXPECTED = {
    T.FORMING: {T.READY, T.DISBANDED},
    T.READY: {T.DISPATCHED, T.DISBANDED},
    T.DISPATCHED: {T.ON_SITE, T.RETURNED, T.READY},
    T.ON_SITE: {T.RETURNED},
    T.RETURNED: {T.READY, T.DISBANDED},
    T.DISBANDED: set(),
}
PAIRS = list(itertools.product(T.values, T.values))
ROOT = Path(__file__).resolve().parents[2]


def test_the_team_table_is_the_documented_flow():
    assert {k: set(v) for k, v in TRANSITIONS.items()} == EXPECTED
    assert set(TRANSITIONS) == set(T.values)
    assert set(IN_FIELD) == {T.DISPATCHED, T.ON_SITE}


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_each_team_status_pair_is_allowed_or_refused_as_the_table_says(centre, from_status, to_status):
    team = make_team(centre, 2)
    Team.objects.filter(pk=team.pk).update(status=from_status)
    team.refresh_from_db()
    before = team.version
    if to_status in EXPECTED[from_status]:
        change_team_status(team, to_status)
        team.refresh_from_db()
        assert (team.status, team.version) == (to_status, before + 1)
    else:
        with pytest.raises(TeamError):
            change_team_status(team, to_status)
        team.refresh_from_db()
        assert (team.status, team.version) == (from_status, before)


@pytest.mark.django_db
def test_a_team_leaves_the_field_only_once_its_dispatch_is_over(centre):
    team = make_team(centre, 2)
    record = dispatch(team, make_ready_need(centre))
    team.refresh_from_db()
    with pytest.raises(TeamError) as err:
        make_ready(team)
    assert "活動報告を入力するか、送り出しを取り消して" in str(err.value)
    with pytest.raises(TeamError):
        disband_team(team)
    with pytest.raises(TeamError):
        change_team_status(team, T.RETURNED)  # only the return report ends the dispatch first
    team.refresh_from_db()
    assert team.status == T.DISPATCHED and team.active_dispatch == record


@pytest.mark.django_db
def test_the_day_of_a_team_walks_the_table(centre):
    team = make_team(centre, 2)
    record = dispatch(team, make_ready_need(centre))
    cancel_dispatch(record, reason="班を間違えた")
    team.refresh_from_db()
    assert team.status == T.READY and team.expected_return_at is None
    record = dispatch(team, make_ready_need(centre))
    arrive(record)
    file_return_report(record, outcome="completed", people=2, hours=3)
    team.refresh_from_db()
    assert team.status == T.RETURNED
    make_ready(team)
    disband_team(team)
    team.refresh_from_db()
    assert team.status == T.DISBANDED and team.leader is None


ASSIGNMENT = re.compile(
    r"\bteams?\.status\s*=[^=]"                       # team.status = ...
    r"|\.status\s*=\s*Team\.Status\."                   # anything.status = Team.Status.X
    r"|(?:create|update|update_or_create|get_or_create)\([^)]*\bstatus\s*=\s*(?:Team\.Status|T\.)"
)


def test_every_team_status_change_goes_through_the_table():
    """No code outside ops/dispatch/transitions.py writes a team's status (a new team starts at INITIAL)."""
    offenders = []
    for folder in ("ops", "api", "mapping", "dvc"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or path.name == "transitions.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ASSIGNMENT.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
