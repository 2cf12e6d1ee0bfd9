"""The teams page: form a team, accept proposals, lend and return tools, file a report as staff."""
import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.dispatch.models import EquipmentKind, EquipmentLoan, ReturnReport, Team
from ops.dispatch.services import dispatch
from tests import factories
from tests.dispatch.conftest import make_ready_need, make_team, today

pytestmark = pytest.mark.django_db


def url(centre, name="dispatch:teams", **kw):
    return reverse(name, kwargs={"centre": centre.slug, **kw})


def test_only_dispatch_staff_open_the_teams_page(client_as, centre):
    assert client_as(Role.RECEPTION).get(url(centre)).status_code == 403
    assert client_as(Role.COORDINATOR).get(url(centre)).status_code == 200


def test_anonymous_goes_to_login(client, centre):
    response = client.get(url(centre))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_waiting_volunteers_are_listed_and_formed_into_a_team(coordinator_client, centre):
    a = [factories.make_attendance(centre, factories.make_volunteer(name=f"待機 {i}号"), date=today(centre))
         for i in range(3)]
    page = coordinator_client.get(url(centre)).content.decode()
    assert "待機 0号" in page and "待機 2号" in page

    response = coordinator_client.post(url(centre, "dispatch:form_team"),
                                       {"members": [x.pk for x in a], "leader": a[1].pk}, follow=True)
    assert "T-01を編成しました" in response.content.decode()
    team = Team.objects.get()
    assert team.leader == a[1] and team.members.count() == 3


def test_a_form_without_a_leader_is_refused_with_a_message(coordinator_client, centre):
    a = factories.make_attendance(centre, date=today(centre))
    response = coordinator_client.post(url(centre, "dispatch:form_team"), {"members": [a.pk]}, follow=True)
    assert response.status_code == 200
    assert "リーダー" in response.content.decode()
    assert not Team.objects.exists()


def test_proposals_are_shown_and_can_all_be_formed(coordinator_client, centre):
    for _ in range(8):
        factories.make_attendance(centre, date=today(centre))
    page = coordinator_client.get(url(centre) + "?size=4").content.decode()
    assert "この班を編成" in page
    coordinator_client.post(url(centre, "dispatch:accept_proposals"), {"size": 4})
    assert Team.objects.filter(status="ready").count() == 2


def test_lending_and_returning_tools(coordinator_client, centre):
    team = make_team(centre, 2)
    kind = EquipmentKind.objects.create(centre=centre, name="スコップ", total=2)
    response = coordinator_client.post(url(centre, "dispatch:lend", team=team.pk),
                                       {"kind": kind.pk, "quantity": 3}, follow=True)
    assert "在庫が足りません" in response.content.decode()
    coordinator_client.post(url(centre, "dispatch:lend", team=team.pk), {"kind": kind.pk, "quantity": 2})
    loan = EquipmentLoan.objects.get()
    coordinator_client.post(url(centre, "dispatch:return_loan", loan=loan.pk))
    loan.refresh_from_db()
    assert loan.returned_at is not None


def test_staff_file_the_return_report(coordinator_client, centre):
    record = dispatch(make_team(centre, 2), make_ready_need(centre))
    form_url = url(centre, "dispatch:staff_report", dispatch=record.pk)
    assert coordinator_client.get(form_url).status_code == 200
    bad = coordinator_client.post(form_url, {"outcome": "continue", "people": 5, "hours": 2})
    assert bad.status_code == 400 and "活動人数" in bad.content.decode()
    coordinator_client.post(form_url, {"outcome": "continue", "people": 2, "hours": "2.5", "injuries": 0,
                                       "heat_illness": 0, "near_miss": "側溝のふたが外れていた"})
    report = ReturnReport.objects.get()
    assert report.filed_via == "staff" and report.filed_by == coordinator_client.user


def test_overdue_teams_are_flagged(coordinator_client, centre):
    from datetime import timedelta

    from django.utils import timezone

    team = make_team(centre, 2)
    dispatch(team, make_ready_need(centre))
    Team.objects.filter(pk=team.pk).update(expected_return_at=timezone.now() - timedelta(minutes=5))
    page = coordinator_client.get(url(centre)).content.decode()
    assert "帰着予定超過" in page


def test_a_team_of_another_centre_is_404(coordinator_client, centre, other_centre):
    theirs = make_team(other_centre, 2)
    response = coordinator_client.post(url(centre, "dispatch:disband", team=theirs.pk))
    assert response.status_code == 404


def test_the_team_card_marks_the_leader_the_coordinator_chose(coordinator_client, centre):
    a = [factories.make_attendance(centre, factories.make_volunteer(name=f"班員 {i}号"), date=today(centre))
         for i in range(3)]
    coordinator_client.post(url(centre, "dispatch:form_team"), {"members": [x.pk for x in a], "leader": a[2].pk})
    page = coordinator_client.get(url(centre)).content.decode()
    assert "<strong>班員 2号</strong>（リーダー）" in page
    assert "<strong>班員 0号</strong>" not in page and "班員 0号" in page and "班員 1号" in page
