"""The season's coordinator and specialist work (ops.season.day.DayScript.dispatch_teams): a need with work
only a skilled team may do goes to a team with a member who declared the skill, or, with none among the
day's teams, its work is routed to a partner organisation that can do it and a team may go for the rest.
It never stops the day: dispatch_refusal refuses a team without the skill, and the coordinator moves on."""
from datetime import time
from types import SimpleNamespace

import pytest

from ops.centres.models import Role
from ops.dispatch.models import Dispatch
from ops.dispatch.services import form_team
from ops.needs.models import NeedStatus
from ops.partners.models import PartnerJob
from ops.partners.services import save_organisation
from ops.season import cast
from ops.season.day import DayScript
from tests import factories

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def script(db):
    centre = factories.make_centre(latest_return_time=time(23, 59, 59, 999999))
    staff = {role: factories.make_user(role, centre) for role in (Role.ADMIN, Role.COORDINATOR)}
    season = SimpleNamespace(centre=centre, staff=staff, seed=1, refusals=[])
    return DayScript(season, centre.today())


def _team(centre, *skills):
    members = [factories.make_attendance(centre, factories.make_volunteer(skills=list(skills)), date=centre.today())
               for _ in range(3)]
    return form_team(centre=centre, on=centre.today(), members=[m.pk for m in members], leader=members[0].pk)


def _needs(centre):
    tree = factories.make_need(centre, work_types=["debris", "chainsaw"], status=NeedStatus.READY, priority=1)
    mud = factories.make_need(centre, work_types=["mud"], status=NeedStatus.READY, priority=2)
    return tree, mud


def _npo(script):
    return save_organisation(script.centre, by=script.season.staff[Role.ADMIN], name="テスト技術支援ネット",
                             kind="technical", capabilities=["chainsaw", "roof"])


def _sent(script):
    return {(d.team_id, d.need_id) for d in Dispatch.objects.filter(centre=script.centre)}


def test_a_team_with_the_skill_takes_the_fallen_tree_and_no_organisation_is_asked(script):
    centre = script.centre
    _npo(script)
    tree, mud = _needs(centre)
    plain, skilled = _team(centre), _team(centre, "chainsaw")
    script.teams = [plain, skilled, _team(centre), _team(centre)]  # the last two wait at the centre
    script.dispatch_teams()
    assert _sent(script) == {(skilled.pk, tree.pk), (plain.pk, mud.pk)}
    assert not PartnerJob.objects.exists()


def test_with_no_team_having_the_skill_the_work_is_routed_to_an_organisation_and_a_team_does_the_rest(script):
    centre = script.centre
    npo = _npo(script)
    tree, mud = _needs(centre)
    first = _team(centre)
    script.teams = [first, _team(centre), _team(centre)]
    script.dispatch_teams()
    job = PartnerJob.objects.get()
    assert (job.need, job.work_type.code, job.organisation, job.status) == (tree, "chainsaw", npo, "offered")
    assert job.note.startswith(cast.ROUTED)
    tree.refresh_from_db()
    assert tree.technical
    assert _sent(script) == {(first.pk, tree.pk)}  # the debris, now the chainsaw is the organisation's


def test_with_no_team_and_no_organisation_able_the_need_waits_and_the_day_goes_on(script):
    centre = script.centre
    save_organisation(centre, by=script.season.staff[Role.ADMIN], name="デモ市 道路課", kind="city",
                      capabilities=["transport"])
    tree, mud = _needs(centre)
    first = _team(centre)
    script.teams = [first, _team(centre), _team(centre)]
    script.dispatch_teams()
    assert not PartnerJob.objects.exists()
    assert _sent(script) == {(first.pk, mud.pk)}
