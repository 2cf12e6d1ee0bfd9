"""form_team, make_ready, disband_team: teams from the day's checked-in volunteers."""
import pytest

from ops.centres.models import Event
from ops.dispatch.models import Team
from ops.dispatch.services import TeamError, disband_team, dispatch, form_team, make_ready
from tests import factories
from tests.dispatch.conftest import make_ready_need, make_team, today

pytestmark = pytest.mark.django_db


def attendances(centre, n, **kw):
    kw.setdefault("date", today(centre))
    return [factories.make_attendance(centre, **kw) for _ in range(n)]


def test_form_team_numbers_the_days_teams_and_makes_them_ready(centre):
    a = attendances(centre, 4)
    first = form_team(centre=centre, on=today(centre), members=[x.pk for x in a[:2]], leader=a[0].pk)
    second = form_team(centre=centre, on=today(centre), members=[x.pk for x in a[2:]], leader=a[3].pk)
    assert (first.label, second.label) == ("T-01", "T-02")
    assert first.status == Team.Status.READY
    assert first.leader == a[0]
    assert set(first.members.values_list("pk", flat=True)) == {a[0].pk, a[1].pk}
    assert Event.objects.filter(kind="team.formed").count() == 2


def test_a_volunteer_cannot_be_in_two_teams(centre):
    a = attendances(centre, 3)
    form_team(centre=centre, on=today(centre), members=[a[0].pk, a[1].pk], leader=a[0].pk)
    with pytest.raises(TeamError):
        form_team(centre=centre, on=today(centre), members=[a[1].pk, a[2].pk], leader=a[2].pk)
    a[2].refresh_from_db()
    assert a[2].team_id is None


def test_the_leader_must_be_a_member(centre):
    a = attendances(centre, 3)
    with pytest.raises(TeamError):
        form_team(centre=centre, on=today(centre), members=[a[0].pk, a[1].pk], leader=a[2].pk)


def test_volunteers_of_another_centre_or_day_are_refused(centre, other_centre):
    from datetime import timedelta

    mine = attendances(centre, 1)[0]
    theirs = factories.make_attendance(other_centre)
    yesterday = factories.make_attendance(centre, date=today(centre) - timedelta(days=1))
    for other in (theirs, yesterday):
        with pytest.raises(TeamError):
            form_team(centre=centre, on=today(centre), members=[mine.pk, other.pk], leader=mine.pk)
    assert not Team.objects.exists()


def test_checked_out_volunteers_cannot_join(centre):
    a = attendances(centre, 2)
    a[1].checked_out_at = a[1].checked_in_at
    a[1].save()
    with pytest.raises(TeamError):
        form_team(centre=centre, on=today(centre), members=[x.pk for x in a], leader=a[0].pk)


def test_an_empty_team_is_refused(centre):
    with pytest.raises(TeamError):
        form_team(centre=centre, on=today(centre), members=[], leader=None)


def test_disband_sends_members_back_to_the_waiting_list(centre):
    team = make_team(centre, 3)
    disband_team(team)
    team.refresh_from_db()
    assert team.status == Team.Status.DISBANDED
    assert not team.members.exists()


def test_a_team_in_the_field_cannot_be_disbanded(centre):
    team = make_team(centre, 2)
    dispatch(team, make_ready_need(centre))
    with pytest.raises(TeamError):
        disband_team(team)


def test_a_returned_team_can_wait_for_its_next_need(centre):
    from ops.dispatch.services import file_return_report

    team = make_team(centre, 2)
    file_return_report(dispatch(team, make_ready_need(centre)), outcome="completed", people=2, hours=2)
    make_ready(team)
    team.refresh_from_db()
    assert team.status == Team.Status.READY
    dispatch(team, make_ready_need(centre))
