"""propose_teams: even teams from the waiting volunteers, groups kept together, drivers spread."""
import pytest

from ops.dispatch.services import TeamError, propose_teams
from ops.volunteers.models import Group
from tests import factories
from tests.dispatch.conftest import make_team, today

pytestmark = pytest.mark.django_db


def waiting(centre, n, *, skills=(), group=None, base=None):
    return [factories.make_attendance(centre, factories.make_volunteer(skills=list(skills), group=group),
                                      date=today(centre), base=base) for _ in range(n)]


def make_group(name, n):
    return Group.objects.create(name=name, leader_name="代表 一郎", phone="090-0000-1111", member_count=n)


def test_everyone_waiting_is_proposed_once_in_even_teams(centre):
    people = waiting(centre, 13)
    proposals = propose_teams(centre, today(centre), 5)
    assert sorted(p.size for p in proposals) == [4, 4, 5]
    proposed = [a.pk for p in proposals for a in p.members]
    assert sorted(proposed) == sorted(a.pk for a in people)


def test_volunteers_already_in_a_team_are_not_proposed(centre):
    team = make_team(centre, 2)
    waiting(centre, 4)
    proposed = {a.pk for p in propose_teams(centre, today(centre), 4) for a in p.members}
    assert not proposed & set(team.members.values_list("pk", flat=True))
    assert len(proposed) == 4


def test_a_group_stays_together(centre):
    company = make_group("長野建設 有志", 4)
    crew = waiting(centre, 4, group=company)
    waiting(centre, 8)
    proposals = propose_teams(centre, today(centre), 4)
    holding = [p for p in proposals if any(a in p.members for a in crew)]
    assert len(holding) == 1
    assert holding[0].leader in crew


def test_a_group_larger_than_a_team_fills_as_few_teams_as_possible(centre):
    club = make_group("大学ボランティアサークル", 7)
    students = waiting(centre, 7, group=club)
    waiting(centre, 3)
    proposals = propose_teams(centre, today(centre), 5)
    holding = [p for p in proposals if any(a in p.members for a in students)]
    assert len(holding) == 2


def test_drivers_and_skilled_people_are_spread(centre):
    waiting(centre, 3, skills=["driver"])
    waiting(centre, 3, skills=["chainsaw"])
    waiting(centre, 9)
    proposals = propose_teams(centre, today(centre), 5)
    assert len(proposals) == 3
    assert [p.count("driver") for p in proposals] == [1, 1, 1]
    assert [p.count("chainsaw") for p in proposals] == [1, 1, 1]


def test_teams_are_proposed_per_base(centre):
    north = centre.bases.create(name="北サテライト", kind="satellite", lat=36.7, lng=138.2)
    waiting(centre, 4)
    waiting(centre, 4, base=north)
    proposals = propose_teams(centre, today(centre), 4)
    for p in proposals:
        assert {a.base_id for a in p.members} == {p.base_id}
    assert len(proposals) == 2


@pytest.mark.parametrize("size", [0, 1, 31, "x"])
def test_an_impossible_size_is_refused(centre, size):
    with pytest.raises(TeamError):
        propose_teams(centre, today(centre), size)


def test_nobody_waiting_proposes_nothing(centre):
    assert propose_teams(centre, today(centre), 5) == []
