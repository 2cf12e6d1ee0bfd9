"""受付スキャン: a need's QR, volunteers' QR, a leader tap, 送り出す — through the dispatch services, with the
refusals at the scan and nothing half-written when the dispatch is refused."""
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.centres.models import AuditEntry, Role
from ops.desk.models import DeskClaim, DeskDraft, DeskRole
from ops.dispatch.models import Dispatch, Team
from ops.needs.models import NeedStatus, WorkType
from tests import factories
from tests.desk import conftest_scan as fx
from tests.desk.conftest_scan import Desk, group, need, person

desk_centre, coordinator, make_desk = fx.desk_centre, fx.coordinator, fx.make_desk  # the fixtures

pytestmark = pytest.mark.django_db


def test_four_scans_a_leader_tap_and_one_send_dispatch_the_team(desk_centre, make_desk):
    desk, job = make_desk(), need(desk_centre, people=4)
    people = [person(desk_centre, skills=["driver"] if i == 2 else []) for i in range(4)]

    status, body = desk.scan(job)
    assert status == 200 and body["state"]["need"]["label"] == job.label
    for a in people:
        status, body = desk.scan(a)
        assert status == 200, body
    state = body["state"]
    assert [m["id"] for m in state["members"]] == [a.pk for a in people] and state["heads"] == 4
    assert state["leader"] == people[2].pk  # the proposal's rule: the most skilled
    assert state["members"][0]["age"] == "30代" and "運転（普通免許）" in state["members"][2]["skills"]
    assert desk.post("leader.json", {"attendance": people[1].pk})[1]["state"]["leader"] == people[1].pk

    status, body = desk.send(members=[a.pk for a in people])
    assert status == 201, body
    team = Team.objects.get(centre=desk_centre)
    assert body["sent"]["team"] == team.label and body["sent"]["slip_url"].endswith(
        f"/s/{Dispatch.objects.get(team=team).slip_token}/")
    assert "<svg" in body["sent"]["slip_qr"]
    assert team.status == Team.Status.DISPATCHED and team.leader_id == people[1].pk
    assert sorted(team.members.values_list("pk", flat=True)) == sorted(a.pk for a in people)
    job.refresh_from_db()
    assert job.status == NeedStatus.ASSIGNED
    assert not DeskDraft.objects.exists() and not DeskClaim.objects.exists()
    assert body["state"]["members"] == [] and body["state"]["need"] is None


def test_refusals_come_at_the_scan(desk_centre, make_desk):
    desk, other = make_desk(), make_desk()
    assert desk.scan(need(desk_centre, status=NeedStatus.NEW))[0] == 409
    job = need(desk_centre, people=2)
    assert desk.scan(job)[0] == 200

    gone = person(desk_centre, checked_out_at=timezone.now())
    status, body = desk.scan(gone)
    assert status == 409 and "帰りました" in body["error"]
    yesterday = person(desk_centre)
    yesterday.date -= timedelta(days=1)
    yesterday.save()
    assert "受付していません" in desk.scan(yesterday)[1]["error"]
    assert desk.scan("https://example.org/nothing/")[0] == 409

    a, b, c = (person(desk_centre) for _ in range(3))
    assert desk.scan(a)[0] == 200
    assert desk.scan(a)[1]["error"].endswith("読み取り済みです。")
    status, body = other.scan(a)
    assert status == 409 and "別のデスク" in body["error"]
    assert desk.scan(b)[0] == 200
    status, body = desk.scan(c)  # a third person for a need of two
    assert status == 409 and "必要人数は2人" in body["error"]
    assert [m["id"] for m in body["state"]["members"]] == [a.pk, b.pk]


def test_a_claim_left_idle_at_another_desk_may_be_taken(desk_centre, make_desk):
    idle, desk, a = make_desk(), make_desk(), person(desk_centre)
    assert idle.scan(a)[0] == 200
    DeskDraft.objects.update(touched_at=timezone.now() - timedelta(minutes=11))
    assert desk.scan(a)[0] == 200
    assert DeskClaim.objects.get(attendance=a).draft.desk_key != DeskDraft.objects.order_by("pk").first().desk_key


def test_a_group_is_shown_together_and_added_with_one_tap(desk_centre, make_desk):
    desk, crew = make_desk(), group("長野建設", 3)
    members = [person(desk_centre, group=crew) for _ in range(3)]
    desk.scan(need(desk_centre, people=5))
    state = desk.scan(members[0])[1]["state"]
    assert state["groups"] == [{"id": crew.pk, "name": "長野建設", "rest": 2, "words": "同じ団体の未編成の人: 2人"}]
    status, body = desk.post("scan.json", {"group": crew.pk})
    assert status == 200 and body["state"]["heads"] == 3 and body["state"]["groups"] == []
    assert all(m["group"] == "長野建設" for m in body["state"]["members"])


def test_a_refused_dispatch_leaves_no_team_behind(desk_centre, make_desk):
    desk = make_desk()
    roof = WorkType.objects.filter(specialist_only=True).exclude(required_skill="").first()
    job = need(desk_centre, people=3, work_types=[roof.code])
    climber = person(desk_centre, skills=[roof.required_skill])
    assert desk.scan(job)[0] == 200  # someone here could do it
    plain = person(desk_centre)
    state = desk.scan(plain)[1]["state"]
    assert roof.skill_label() in state["warning"]
    status, body = desk.send()
    assert status == 409 and roof.skill_label() in body["error"]
    assert not Team.objects.exists() and DeskClaim.objects.count() == 1
    assert desk.scan(climber)[0] == 200 and desk.send()[0] == 201


def test_the_desk_tells_when_another_desk_took_someone_meanwhile(desk_centre, make_desk):
    desk, other = make_desk(), make_desk()
    a, b = person(desk_centre), person(desk_centre)
    desk.scan(need(desk_centre))
    desk.scan(a)
    desk.scan(b)
    DeskDraft.objects.update(touched_at=timezone.now() - timedelta(minutes=11))
    assert other.scan(b)[0] == 200
    status, body = desk.send(members=[a.pk, b.pk])
    assert status == 409 and "メンバーが変わりました" in body["error"]
    assert not Team.objects.exists()


def test_bad_input_is_a_json_4xx(desk_centre, make_desk):
    desk = make_desk()
    for name, body in [("scan.json", {}), ("scan.json", {"code": ["x"]}), ("leader.json", {"attendance": "x"}),
                       ("remove.json", {}), ("dispatch.json", {"members": "1"})]:
        status, answer = desk.post(name, body)
        assert 400 <= status < 500 and answer["error"], name
    response = desk.client.post(desk.url("scan.json"), "{not json", content_type="application/json")
    assert response.status_code == 400
    assert desk.send()[0] == 409  # nothing scanned


def test_a_volunteer_with_the_desk_sends_a_team_in_the_audit_as_the_desk(desk_centre):
    helper = person(desk_centre)
    DeskRole.objects.create(centre=desk_centre, attendance=helper, kind=DeskRole.Kind.SCAN)
    desk = Desk(desk_centre)
    desk.client.get(f"/v/{helper.volunteer.token}/")  # their personal link sets the identity cookie
    page = desk.client.get(desk.url(""))
    assert page.status_code == 200 and "受付スキャン" in page.content.decode()
    job, a = need(desk_centre, people=1), person(desk_centre)
    desk.scan(job)
    desk.scan(a)
    assert desk.send()[0] == 201
    entry = AuditEntry.objects.get(action="dispatch.created", object_type="dispatch.dispatch")
    assert entry.user is None and entry.actor == f"デスク担当 受付スキャン（班編成・送り出し） (受付 #{helper.pk})"
    html = page.content.decode()
    assert job.requester_name not in html and job.address not in html


def test_the_need_card_carries_the_desks_qr(desk_centre):
    staff = factories.make_user(Role.COORDINATOR, desk_centre)
    desk = Desk(desk_centre, staff)
    job = need(desk_centre)
    html = desk.client.get(f"/c/{desk_centre.slug}/needs/{job.pk}/card/").content.decode()
    assert 'class="qr card-qr"' in html and "受付スキャン用" in html


def test_a_refused_first_scan_leaves_no_draft(desk_centre, make_desk):
    assert make_desk().scan(person(desk_centre, checked_out_at=timezone.now()))[0] == 409
    assert not DeskDraft.objects.exists()
