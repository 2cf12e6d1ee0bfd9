"""送り出し取消: a dispatch made by mistake is taken back before the team starts work. The team waits again,
the need goes back to where it was sent from, the slip dies, and the dispatch counts nowhere."""
import pytest
from django.db import connection
from django.urls import reverse

from ops.centres.models import AuditEntry, Event, Role
from ops.dispatch import services
from ops.dispatch.models import Dispatch, Team
from ops.dispatch.services import DispatchRefused, ReportRefused, cancel_dispatch, dispatch
from ops.needs.models import NeedStatus
from ops.reports.figures import daily_figures
from tests.conftest import run_together
from tests.dispatch.conftest import make_ready_need, make_team, today

pytestmark = pytest.mark.django_db


def test_cancel_puts_the_team_back_and_the_need_back_to_ready(centre, staff):
    staff = staff(Role.COORDINATOR)
    team = make_team(centre, 3)
    need = make_ready_need(centre)
    record = dispatch(team, need)

    cancel_dispatch(record, by=staff, reason="班を間違えた")

    record.refresh_from_db()
    team.refresh_from_db()
    need.refresh_from_db()
    assert record.status == Dispatch.Status.CANCELLED and record.cancel_reason == "班を間違えた"
    assert record.cancelled_at is not None and record.returned_at is None
    assert team.status == Team.Status.READY and team.expected_return_at is None
    assert need.status == NeedStatus.READY
    assert [h.to_status for h in need.history.all()][-2:] == ["assigned", "ready"]
    assert need.dispatches.active().people() == 0
    assert AuditEntry.objects.filter(action="dispatch.cancelled", object_id=str(record.pk), user=staff).exists()
    event = Event.objects.filter(centre=centre).latest("seq")
    assert event.kind == "dispatch.cancelled" and event.public is None  # staff only: the public sees a tick
    assert event.payload["team"]["status"] == "ready" and event.payload["need"]["status"] == "ready"


def test_the_history_line_holds_the_team_and_the_reason_in_no_ones_language(centre):
    from django.utils import translation

    need = make_ready_need(centre)
    team = make_team(centre, 2)
    with translation.override("en"):  # an English-speaking coordinator
        cancel_dispatch(dispatch(team, need), reason="wrong team")

    assert need.history.last().reason == f"{team.label}: wrong team"
    other = make_ready_need(centre)
    cancel_dispatch(dispatch(team, other))
    assert other.history.last().reason == team.label


def test_the_cancelled_dispatch_counts_nowhere_and_the_team_can_go_elsewhere(centre):
    team = make_team(centre, 3)
    first, second = make_ready_need(centre), make_ready_need(centre)
    cancel_dispatch(dispatch(team, first))

    record = dispatch(team, second)  # the partial unique index only holds active dispatches

    assert record.status == Dispatch.Status.ACTIVE
    figures = daily_figures(centre, today(centre))["dispatches"]
    assert figures["today"]["count"] == 1 and figures["today"]["teams"] == 1
    assert figures["cumulative"]["count"] == 1


def test_a_continuing_need_goes_back_to_continuing(centre):
    need = make_ready_need(centre)
    services.file_return_report(dispatch(make_team(centre, 2), need), outcome="continue", people=2, hours="3")
    need.refresh_from_db()
    assert need.status == NeedStatus.CONTINUING

    cancel_dispatch(dispatch(make_team(centre, 2), need))

    need.refresh_from_db()
    assert need.status == NeedStatus.CONTINUING


def test_with_another_team_still_there_the_need_stays_assigned(centre):
    need = make_ready_need(centre, people_needed=10)
    mistaken = dispatch(make_team(centre, 2), need)
    dispatch(make_team(centre, 3), need)

    cancel_dispatch(mistaken)

    need.refresh_from_db()
    assert need.status == NeedStatus.ASSIGNED and need.dispatches.active().people() == 3


def test_the_slip_dies_and_no_report_can_be_filed(centre):
    record = dispatch(make_team(centre, 2), make_ready_need(centre))
    cancel_dispatch(record)
    record.refresh_from_db()

    assert "取り消されました" in services.slip_refusal(record)
    with pytest.raises(ReportRefused, match="取り消されています"):
        services.file_return_report(record, outcome="completed", people=2, hours="1")
    with pytest.raises(ReportRefused, match="取り消されました"):
        services.file_return_report(record, outcome="completed", people=2, hours="1", via="leader")
    assert not hasattr(Dispatch.objects.get(pk=record.pk), "report")


@pytest.mark.parametrize("then", ["on_site", "returned", "cancelled"])
def test_refused_once_work_started_or_the_dispatch_is_over(centre, then):
    team = make_team(centre, 2)
    need = make_ready_need(centre)
    record = dispatch(team, need)
    if then == "on_site":
        services.arrive(record)
    elif then == "returned":
        services.file_return_report(record, outcome="completed", people=2, hours="2")
    else:
        cancel_dispatch(record)
    before = (Team.objects.get(pk=team.pk).status, type(need).objects.get(pk=need.pk).status)

    with pytest.raises(DispatchRefused) as refused:
        cancel_dispatch(record)

    assert ("活動報告" in refused.value.message) if then == "on_site" else ("取り消せません" in refused.value.message)
    assert (Team.objects.get(pk=team.pk).status, type(need).objects.get(pk=need.pk).status) == before


def test_the_teams_page_cancels_for_coordinators_only(client_as, centre):
    record = dispatch(make_team(centre, 2), make_ready_need(centre))
    url = reverse("dispatch:cancel", kwargs={"centre": centre.slug, "dispatch": record.pk})
    teams = reverse("dispatch:teams", kwargs={"centre": centre.slug})

    assert client_as(Role.VIEWER).post(url, {"reason": "x"}).status_code == 403
    coordinator = client_as(Role.COORDINATOR)
    page = coordinator.get(teams).content.decode()
    assert url in page  # the button is there while the team is out
    assert coordinator.get(url).status_code == 405
    response = coordinator.post(url, {"reason": "依頼者不在の連絡"}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == teams
    assert "送り出しを取り消しました" in body and "依頼者不在の連絡" in body
    assert url not in body  # nothing left to cancel
    assert Dispatch.objects.get(pk=record.pk).status == Dispatch.Status.CANCELLED

    again = coordinator.post(url, follow=True).content.decode()
    assert "取り消せません" in again


@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_cancel_and_return_report_racing_on_postgresql_one_wins(centre):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL (make test)")
    for _round in range(5):
        team = make_team(centre, 2)
        need = make_ready_need(centre)
        record = dispatch(team, need)
        actions = [lambda: cancel_dispatch(record),
                   lambda: services.file_return_report(record, outcome="completed", people=2, hours="2")]
        _results, errors = run_together(2, lambda i: actions[i]())

        refused = [e for e in errors if isinstance(e, DispatchRefused | ReportRefused)]
        assert [e for e in errors if e is not None and e not in refused] == []  # no deadlock, nothing else
        assert len(refused) == 1
        record.refresh_from_db()
        team.refresh_from_db()
        need.refresh_from_db()
        if record.status == Dispatch.Status.CANCELLED:
            assert (team.status, need.status) == (Team.Status.READY, NeedStatus.READY)
            assert not hasattr(record, "report")
        else:
            assert record.status == Dispatch.Status.RETURNED
            assert (team.status, need.status) == (Team.Status.RETURNED, NeedStatus.COMPLETED)
