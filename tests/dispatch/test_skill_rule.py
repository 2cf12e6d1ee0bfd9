"""Specialist-only work (屋根, チェーンソー, 重機) goes only with a member who declared the skill, unless a partner
organisation has taken that work: one rule (skill_refusal, inside dispatch_refusal) for the server, the map
board's hints and the API."""
import pytest

from ops.dispatch.models import Dispatch
from ops.dispatch.services import DispatchRefused, dispatch, dispatch_refusal, form_team
from ops.needs.models import NeedStatus, WorkType
from ops.partners import services as partners
from ops.partners.models import Capability
from tests import factories
from tests.dispatch.conftest import make_ready_need, today

pytestmark = pytest.mark.django_db
ROOF_MESSAGE = "「屋根のブルーシート張り」には「屋根作業（高所）」の技能を持つメンバーが必要です"


def team_of(centre, *skills_per_member):
    """A ready team whose members declared these skills (one list per member)."""
    members = [factories.make_attendance(centre, factories.make_volunteer(skills=list(skills)), date=today(centre))
               for skills in skills_per_member]
    return form_team(centre=centre, on=today(centre), members=[m.pk for m in members], leader=members[0].pk)


def roof_need(centre):
    return make_ready_need(centre, people_needed=6, work_types=["mud", "tarp"])


def test_a_team_without_the_skill_is_refused_with_the_work_and_the_skill_named(centre, now):
    need, team = roof_need(centre), team_of(centre, [], ["driver"], ["nurse"])

    refusal = dispatch_refusal(team, need, at=now)
    assert ROOF_MESSAGE in refusal and team.label in refusal
    with pytest.raises(DispatchRefused, match=ROOF_MESSAGE):
        dispatch(team, need)
    need.refresh_from_db()
    assert need.status == NeedStatus.READY and not Dispatch.objects.filter(need=need).exists()


def test_one_member_with_the_skill_is_enough(centre, now):
    need, team = roof_need(centre), team_of(centre, [], ["roof"], [])
    assert dispatch_refusal(team, need, at=now) is None
    assert dispatch(team, need).need_id == need.pk


def test_a_skilled_member_who_went_home_no_longer_counts(centre, now):
    need, team = roof_need(centre), team_of(centre, [], ["roof"], [])
    roofer = team.members.get(volunteer__skills__contains=["roof"])
    roofer.checked_out_at = now
    roofer.save()
    assert ROOF_MESSAGE in dispatch_refusal(team, need, at=now)


def test_each_specialist_work_needs_its_own_skill(centre, now):
    need = make_ready_need(centre, people_needed=6, work_types=["tarp", "chainsaw"])
    team = team_of(centre, ["roof"], [])
    refusal = dispatch_refusal(team, need, at=now)
    assert "「チェーンソー」の技能" in refusal
    assert dispatch_refusal(team_of(centre, ["roof"], ["chainsaw"]), need, at=now) is None


def test_work_a_partner_has_taken_leaves_the_rest_to_any_team(centre, now):
    need, team = roof_need(centre), team_of(centre, [], [])
    npo = partners.save_organisation(centre, by=None, name="技術系NPO", capabilities=[Capability.ROOF])
    tarp = WorkType.objects.get(code="tarp")

    job = partners.offer(need, npo, by=None, work_type=tarp)
    assert dispatch_refusal(team, need, at=now) is None  # the mud is the volunteers'; the roof is the NPO's

    partners.decline(job, by=None, reason="人手不足")
    assert ROOF_MESSAGE in dispatch_refusal(team, need, at=now)  # nobody has the roof now

    done = partners.complete(partners.accept(partners.offer(need, npo, by=None, work_type=tarp), by=None),
                             by=None, outcome="partly", note="半分だけ")
    assert done.status == "done" and ROOF_MESSAGE in dispatch_refusal(team, need, at=now)  # still to be done

    partners.complete(partners.accept(partners.offer(need, npo, by=None, work_type=tarp), by=None),
                      by=None, outcome="done")
    assert dispatch_refusal(team, need, at=now) is None


def test_specialist_work_with_no_skill_named_goes_to_an_organisation(centre, now):
    WorkType.objects.filter(code="heavy").update(required_skill="")
    need = make_ready_need(centre, people_needed=6, work_types=["heavy"])
    refusal = dispatch_refusal(team_of(centre, ["heavy"], []), need, at=now)
    assert "専門ボランティアのみの作業です。協力団体に依頼してください" in refusal


def test_the_map_board_card_says_what_the_server_says(centre, now):
    from mapping.selectors import need_card
    from ops.centres.models import Role
    from ops.privacy import sight_of

    need = roof_need(centre)
    plain, roofers = team_of(centre, [], []), team_of(centre, ["roof"], [])
    coordinator = factories.make_user(Role.COORDINATOR, centre)
    card = need_card(need, sight=sight_of(coordinator, centre), at=now)

    assert ROOF_MESSAGE in card["team_refusals"][str(plain.pk)]
    assert card["team_refusals"][str(roofers.pk)] is None
