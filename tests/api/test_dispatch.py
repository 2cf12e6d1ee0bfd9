"""Teams, dispatches and return reports over the API: the dispatch services decide, refusals are 409."""
import pytest

from ops.centres.models import Role
from ops.dispatch.models import Dispatch, Team
from ops.needs.models import NeedStatus
from tests import factories
from tests.api.conftest import API
from tests.dispatch.conftest import END_OF_DAY, make_ready_need, make_team, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(db):
    return factories.make_centre(latest_return_time=END_OF_DAY)


@pytest.fixture
def coordinator(as_role):
    return as_role(Role.COORDINATOR)


def url(centre, rest):
    return f"{API}/centres/{centre.slug}/{rest}"


def test_forms_a_team_from_waiting_volunteers(coordinator, centre):
    people = [factories.make_attendance(centre, date=today(centre)) for _ in range(3)]
    waiting = coordinator.get(url(centre, "teams/waiting/")).json()
    assert sorted(w["attendance"] for w in waiting["results"]) == sorted(a.pk for a in people)

    response = coordinator.post(url(centre, "teams/"), {"members": [a.pk for a in people],
                                                        "leader": people[1].pk, "vehicle": "軽トラ"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["label"] == "T-01" and body["status"] == "ready" and body["leader"] == people[1].pk
    assert sorted(m["attendance"] for m in body["members"]) == sorted(a.pk for a in people)
    assert coordinator.get(url(centre, "teams/waiting/")).json()["count"] == 0


def test_a_leader_outside_the_team_is_refused(coordinator, centre):
    a, b = (factories.make_attendance(centre, date=today(centre)) for _ in range(2))
    response = coordinator.post(url(centre, "teams/"), {"members": [a.pk], "leader": b.pk}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "team_refused"
    assert not Team.objects.exists()


def test_lists_the_days_teams(coordinator, centre):
    team = make_team(centre)
    body = coordinator.get(url(centre, "teams/"), {"date": today(centre).isoformat()}).json()
    assert [t["id"] for t in body["results"]] == [team.pk]
    assert coordinator.get(url(centre, "teams/"), {"date": "2001-01-01"}).json()["count"] == 0
    assert coordinator.get(url(centre, f"teams/{team.pk}/")).json()["label"] == "T-01"


def test_dispatches_a_ready_team_to_a_need(coordinator, centre):
    team, need = make_team(centre, size=3), make_ready_need(centre, people_needed=5)
    response = coordinator.post(url(centre, "dispatches/"), {"team": team.pk, "need": need.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["team"] == team.pk and body["need"] == need.pk and body["people"] == 3 and body["report"] is None
    need.refresh_from_db()
    team.refresh_from_db()
    assert need.status == NeedStatus.ASSIGNED and team.status == Team.Status.DISPATCHED
    listed = coordinator.get(url(centre, "dispatches/")).json()["results"]
    assert [d["id"] for d in listed] == [body["id"]]
    assert coordinator.get(url(centre, "teams/")).json()["results"][0]["need"] == need.pk


def test_a_busy_team_is_refused_with_409(coordinator, centre):
    team = make_team(centre, size=2)
    first, second = make_ready_need(centre), make_ready_need(centre)
    assert coordinator.post(url(centre, "dispatches/"), {"team": team.pk, "need": first.pk},
                            format="json").status_code == 201
    response = coordinator.post(url(centre, "dispatches/"), {"team": team.pk, "need": second.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "dispatch_refused"
    assert Dispatch.objects.count() == 1


def test_a_need_past_its_demand_is_refused(coordinator, centre):
    team, need = make_team(centre, size=4), make_ready_need(centre, people_needed=2)
    response = coordinator.post(url(centre, "dispatches/"), {"team": team.pk, "need": need.pk}, format="json")
    assert response.status_code == 409 and "必要人数" in response.json()["detail"]


def test_another_centres_team_or_need_is_a_field_error(coordinator, centre, other_centre):
    foreign = factories.make_need(other_centre, status=NeedStatus.READY)
    team = make_team(centre)
    response = coordinator.post(url(centre, "dispatches/"), {"team": team.pk, "need": foreign.pk}, format="json")
    assert response.status_code == 400 and "need" in response.json()["errors"]


def test_return_report_completes_the_need(coordinator, centre):
    team, need = make_team(centre, size=3), make_ready_need(centre)
    dispatch_id = coordinator.post(url(centre, "dispatches/"), {"team": team.pk, "need": need.pk},
                                   format="json").json()["id"]
    response = coordinator.post(url(centre, f"dispatches/{dispatch_id}/return-report/"),
                                {"outcome": "completed", "people": 3, "hours": "3.5", "work_done": "泥出し"},
                                format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "returned" and body["report"]["outcome"] == "completed"
    assert body["report"]["hours"] == "3.50" and body["report"]["filed_via"] == "staff"
    need.refresh_from_db()
    assert need.status == NeedStatus.COMPLETED

    again = coordinator.post(url(centre, f"dispatches/{dispatch_id}/return-report/"),
                             {"outcome": "completed", "people": 3, "hours": 1}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "report_refused"


def test_a_concern_filed_through_the_api_reaches_the_welfare_staff_only(coordinator, centre):
    from ops.welfare.models import Case

    team, need = make_team(centre, size=2), make_ready_need(centre)
    dispatch_id = coordinator.post(url(centre, "dispatches/"), {"team": team.pk, "need": need.pk},
                                   format="json").json()["id"]
    response = coordinator.post(url(centre, f"dispatches/{dispatch_id}/return-report/"), {
        "outcome": "completed", "people": 2, "hours": 2, "concerns": ["alone", "no_food"],
        "concern_note": "冷蔵庫が空だった"}, format="json")
    assert response.status_code == 201, response.json()
    assert "冷蔵庫が空だった" not in response.content.decode() and "concern" not in response.content.decode()
    case = Case.objects.of_need(need).get()
    assert (case.source, sorted(case.concerns)) == ("team", ["alone", "no_food"])
    assert "冷蔵庫が空だった" in case.contacts.get().found


def test_an_unknown_concern_is_a_400(coordinator, centre):
    team, need = make_team(centre, size=2), make_ready_need(centre)
    dispatch_id = coordinator.post(url(centre, "dispatches/"), {"team": team.pk, "need": need.pk},
                                   format="json").json()["id"]
    bad = coordinator.post(url(centre, f"dispatches/{dispatch_id}/return-report/"),
                           {"outcome": "completed", "people": 2, "hours": 2, "concerns": ["nosy"]}, format="json")
    assert bad.status_code == 400 and "concerns" in bad.json()["errors"]
    assert Dispatch.objects.get(pk=dispatch_id).status == "active"


def test_return_report_checks_its_figures(coordinator, centre):
    team, need = make_team(centre, size=2), make_ready_need(centre)
    dispatch_id = coordinator.post(url(centre, "dispatches/"), {"team": team.pk, "need": need.pk},
                                   format="json").json()["id"]
    bad = coordinator.post(url(centre, f"dispatches/{dispatch_id}/return-report/"),
                           {"outcome": "done", "people": -1, "hours": "1e9"}, format="json")
    assert bad.status_code == 400 and {"outcome", "people", "hours"} <= set(bad.json()["errors"])
    too_many = coordinator.post(url(centre, f"dispatches/{dispatch_id}/return-report/"),
                                {"outcome": "completed", "people": 9, "hours": 2}, format="json")
    assert too_many.status_code == 409  # more people than were sent: the service's rule
    assert Dispatch.objects.get(pk=dispatch_id).status == "active"


def test_a_mistaken_dispatch_is_cancelled_and_a_second_cancel_is_409(coordinator, centre):
    team, need = make_team(centre, size=2), make_ready_need(centre)
    sent = coordinator.post(url(centre, "dispatches/"), {"team": team.pk, "need": need.pk}, format="json").json()

    response = coordinator.post(url(centre, f"dispatches/{sent['id']}/cancel/"), {"reason": "班を間違えた"},
                                format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "cancelled" and body["cancel_reason"] == "班を間違えた" and body["cancelled_at"]
    team.refresh_from_db()
    need.refresh_from_db()
    assert team.status == Team.Status.READY and need.status == NeedStatus.READY
    again = coordinator.post(url(centre, f"dispatches/{sent['id']}/cancel/"), {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "dispatch_refused"
    too_long = coordinator.post(url(centre, f"dispatches/{sent['id']}/cancel/"), {"reason": "x" * 301},
                                format="json")
    assert too_long.status_code == 400 and "reason" in too_long.json()["errors"]
