"""Skills at team forming: proposals place the holders of the skills the waiting needs' specialist work calls
for (屋根作業, チェーンソー ...) so each such skill lands in a team, one holder per team first; each proposal says
which needed skills it has; the teams page shows volunteers', proposals' and teams' skills and which needs call
for which skill, to dispatch staff only."""
import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.dispatch.services import needed_skills, propose_teams
from ops.needs.models import NeedStatus
from ops.partners import services as partners
from tests import factories
from tests.dispatch.conftest import make_ready_need, make_team, today

pytestmark = pytest.mark.django_db


def waiting(centre, n, *, skills=()):
    return [factories.make_attendance(centre, factories.make_volunteer(skills=list(skills)), date=today(centre))
            for _ in range(n)]


def holding(proposals, attendance):
    return next(p for p in proposals if attendance in p.members)


def test_a_roofer_and_a_chainsaw_holder_go_to_different_teams_when_both_skills_are_needed(centre):
    make_ready_need(centre, work_types=["tarp"])
    make_ready_need(centre, work_types=["chainsaw"])
    waiting(centre, 4)
    [roofer] = waiting(centre, 1, skills=["roof"])
    waiting(centre, 3)
    [sawyer] = waiting(centre, 1, skills=["chainsaw"])
    waiting(centre, 1)
    proposals = propose_teams(centre, today(centre), 5)
    assert len(proposals) == 2
    assert holding(proposals, roofer) is not holding(proposals, sawyer)
    assert holding(proposals, roofer).needed_skills == ["roof"]
    assert holding(proposals, sawyer).needed_skills == ["chainsaw"]


def test_needed_skill_holders_are_spread_one_per_team_before_a_second(centre):
    make_ready_need(centre, work_types=["tarp"])
    roofers = waiting(centre, 3, skills=["roof"])
    waiting(centre, 9)
    proposals = propose_teams(centre, today(centre), 4)
    assert [p.count("roof") for p in proposals] == [1, 1, 1]
    assert all(p.needed_skills == ["roof"] for p in proposals)
    assert {a.pk for p in proposals for a in p.members} >= {a.pk for a in roofers}


def test_the_scarce_needed_skill_is_not_crowded_by_a_plentiful_one(centre):
    """Two roofers, one sawyer, two teams: the sawyer's team does not also get both roofers."""
    make_ready_need(centre, work_types=["tarp"])
    make_ready_need(centre, work_types=["chainsaw"])
    waiting(centre, 2, skills=["roof"])
    waiting(centre, 1, skills=["chainsaw"])
    waiting(centre, 5)
    proposals = propose_teams(centre, today(centre), 4)
    assert sorted(p.count("roof") for p in proposals) == [1, 1]
    assert sorted(tuple(p.needed_skills) for p in proposals) == [("chainsaw", "roof"), ("roof",)]


def test_skills_no_waiting_need_calls_for_are_not_listed_as_needed(centre):
    waiting(centre, 1, skills=["roof"])
    waiting(centre, 3)
    [proposal] = propose_teams(centre, today(centre), 4)
    assert proposal.needed_skills == []
    assert proposal.skills == ["roof"]


def test_specialist_work_a_partner_has_taken_calls_for_no_skill(centre):
    need = make_ready_need(centre, work_types=["tarp", "mud"])
    staff = factories.make_user(Role.COORDINATOR, centre)
    org = partners.save_organisation(centre, by=staff, name="屋根の会", capabilities=["roof"])
    assert [c.skill for c in needed_skills(centre)] == ["roof"]
    partners.offer(need, org, by=staff, work_type=need.work_types.get(code="tarp"))
    assert needed_skills(centre) == []


def test_needs_not_dispatchable_call_for_no_skill(centre):
    factories.make_need(centre, work_types=["tarp"], status=NeedStatus.NEW)
    assert needed_skills(centre) == []


def test_a_call_names_the_need_the_work_and_the_skill(centre):
    need = make_ready_need(centre, work_types=["tarp"])
    [call] = needed_skills(centre)
    assert str(call) == f"{need.label} 屋根のブルーシート張り: 屋根作業（高所）"


# --- the teams page --------------------------------------------------------------------------------------------

def url(centre):
    return reverse("dispatch:teams", kwargs={"centre": centre.slug})


def test_the_page_shows_skills_of_volunteers_proposals_teams_and_which_needs_call_for_them(client_as, centre):
    need = make_ready_need(centre, work_types=["tarp"])
    waiting(centre, 1, skills=["roof"])
    waiting(centre, 1, skills=["nurse"])
    waiting(centre, 2)
    make_team(centre, 2, skills=["heavy"])
    page = client_as(Role.COORDINATOR).get(url(centre), {"size": 4}).content.decode()
    assert f"{need.label} 屋根のブルーシート張り: 屋根作業（高所）" in page
    assert page.count("屋根作業（高所）") >= 3  # the call, the volunteer, the proposal (needed and declared)
    assert "看護師・保健師" in page
    assert "重機（車両系建設機械）" in page  # the formed team's skills
    assert "必要な技能" in page


def test_skills_are_for_dispatch_staff_only(client_as, centre):
    make_ready_need(centre, work_types=["tarp"])
    waiting(centre, 1, skills=["roof"])
    for role in (Role.RECEPTION, Role.INTAKE, Role.VIEWER, Role.PARTNER):
        assert client_as(role).get(url(centre)).status_code == 403
