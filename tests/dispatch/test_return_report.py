"""file_return_report: the need, the team, the tools and the slip all follow the report, in one transaction,
through the one transition table. The report's hours stay on the report; attendance hours are check-out's."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from ops.centres.models import Event, Role
from ops.dispatch.models import Dispatch, EquipmentKind, ReturnReport, Team
from ops.dispatch.services import ReportRefused, dispatch, file_return_report, lend_tools
from ops.needs.models import NeedStatus
from tests.dispatch.conftest import make_ready_need, make_team

pytestmark = pytest.mark.django_db


def report(record, **kw):
    kw.setdefault("outcome", "completed")
    kw.setdefault("people", record.people)
    kw.setdefault("hours", "3.5")
    return file_return_report(record, **kw)


def test_completed_closes_the_need_through_in_progress(centre):
    need = make_ready_need(centre)
    record = dispatch(make_team(centre, 3), need)
    report(record, work_done="床下の泥出し、土のう20袋")

    need.refresh_from_db()
    assert need.status == NeedStatus.COMPLETED
    assert [h.to_status for h in need.history.all()] == ["assigned", "in_progress", "completed"]


def test_the_team_returns_and_the_report_keeps_its_hours(centre):
    team = make_team(centre, 3)
    record = dispatch(team, make_ready_need(centre))
    report(record, hours="3.5")

    team.refresh_from_db()
    record.refresh_from_db()
    assert team.status == Team.Status.RETURNED
    assert record.status == Dispatch.Status.RETURNED and record.returned_at is not None
    assert record.report.hours == Decimal("3.50")


# The rule changed: a return report used to add its hours to every member's attendance, and check-out then
# overwrote them with the time at the centre (3.00 became 1.00). Attendance.hours is the time at the centre,
# written by check-out alone; the report's hours stay on the report (person-hours: people × hours).
def test_a_return_report_leaves_the_attendance_hours_to_check_out(centre, staff):
    from ops.dispatch.services import make_ready

    team = make_team(centre, 2)
    report(dispatch(team, make_ready_need(centre)), hours="2")
    make_ready(team)
    report(dispatch(team, make_ready_need(centre)), hours="1.5")
    assert {m.hours for m in team.members.all()} == {None}
    assert sorted(r.hours for r in ReturnReport.objects.filter(dispatch__team=team)) == [Decimal("1.50"),
                                                                                        Decimal("2.00")]


def test_completed_counts_on_the_public_board(centre):
    report(dispatch(make_team(centre, 2), make_ready_need(centre)))
    event = Event.objects.get(centre=centre, kind="dispatch.returned")
    assert event.public == {"needs_completed": 1}
    assert event.payload["need"]["status"] == "completed"
    assert event.payload["team"]["status"] == "returned"


def test_needs_another_day_makes_the_need_continuing(centre):
    need = make_ready_need(centre)
    report(dispatch(make_team(centre, 2), need), outcome="continue")
    need.refresh_from_db()
    assert need.status == NeedStatus.CONTINUING
    assert Event.objects.get(kind="dispatch.returned").public is None


def test_could_not_puts_the_need_back_to_matching(centre):
    need = make_ready_need(centre)
    report(dispatch(make_team(centre, 2), need), outcome="could_not", people=0, hours=0)
    need.refresh_from_db()
    assert need.status == NeedStatus.READY


def test_with_another_team_still_there_continue_leaves_the_need_in_progress(centre):
    need = make_ready_need(centre, people_needed=6)
    first = dispatch(make_team(centre, 3), need)
    second = dispatch(make_team(centre, 3), need)
    report(first, outcome="continue")
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_PROGRESS
    report(second, outcome="completed")
    need.refresh_from_db()
    assert need.status == NeedStatus.COMPLETED


def test_returned_tools_close_the_loans(centre):
    team = make_team(centre, 2)
    shovels = EquipmentKind.objects.create(centre=centre, name="スコップ", total=10)
    loan = lend_tools(team=team, kind=shovels, quantity=2)
    report(dispatch(team, make_ready_need(centre)), tools_returned=True)
    loan.refresh_from_db()
    assert loan.returned_at is not None and loan.returned_quantity == 2


def test_a_report_from_the_field_never_closes_the_loans(centre):
    """Tools come back at the centre's tool desk: the leader's phone cannot know they are on the shelf."""
    team = make_team(centre, 2)
    shovels = EquipmentKind.objects.create(centre=centre, name="スコップ", total=10)
    loan = lend_tools(team=team, kind=shovels, quantity=2)
    saved = report(dispatch(team, make_ready_need(centre)), via="leader", tools_returned=True)
    loan.refresh_from_db()
    assert loan.returned_at is None and loan.returned_quantity == 0
    assert saved.tools_returned is False  # the report says what was true when it was filed


def test_a_staff_report_records_tools_back_only_when_ticked(centre):
    team = make_team(centre, 2)
    shovels = EquipmentKind.objects.create(centre=centre, name="スコップ", total=10)
    loan = lend_tools(team=team, kind=shovels, quantity=2)
    report(dispatch(team, make_ready_need(centre)))  # staff, nothing ticked
    loan.refresh_from_db()
    assert loan.returned_at is None


def test_the_staff_report_form_does_not_tick_tools_back(client_as, centre):
    from ops.dispatch.forms import ReturnReportForm

    assert not ReturnReportForm().fields["tools_returned"].initial
    team = make_team(centre, 2)
    lend_tools(team=team, kind=EquipmentKind.objects.create(centre=centre, name="一輪車", total=5), quantity=1)
    record = dispatch(team, make_ready_need(centre))
    page = client_as(Role.COORDINATOR).get(
        reverse("dispatch:staff_report", kwargs={"centre": centre.slug, "dispatch": record.pk})).content.decode()
    box = page.split('name="tools_returned"')[0].rsplit("<input", 1)[1] + page.split('name="tools_returned"')[1].split(">")[0]
    assert "checked" not in box
    assert "一輪車" in page  # staff see what they would be ticking back


def test_tools_not_returned_stay_out(centre):
    team = make_team(centre, 2)
    shovels = EquipmentKind.objects.create(centre=centre, name="スコップ", total=10)
    loan = lend_tools(team=team, kind=shovels, quantity=2)
    report(dispatch(team, make_ready_need(centre)), tools_returned=False)
    loan.refresh_from_db()
    assert loan.returned_at is None


def test_injuries_heat_illness_and_near_misses_are_recorded(centre):
    record = dispatch(make_team(centre, 3), make_ready_need(centre))
    report(record, injuries=1, heat_illness=1, near_miss="屋根からの落下物があった")
    saved = ReturnReport.objects.get(dispatch=record)
    assert (saved.injuries, saved.heat_illness, saved.near_miss) == (1, 1, "屋根からの落下物があった")
    assert Event.objects.get(kind="dispatch.returned").payload["dispatch"]["near_miss"] is True


def test_a_second_report_is_refused(centre):
    record = dispatch(make_team(centre, 2), make_ready_need(centre))
    report(record)
    with pytest.raises(ReportRefused):
        report(record, outcome="continue")
    assert ReturnReport.objects.count() == 1


@pytest.mark.parametrize("bad", [{"people": 9}, {"hours": "13"}, {"hours": "abc"}, {"injuries": -1},
                                 {"outcome": "maybe"}, {"heat_illness": "x"}])
def test_bad_figures_are_refused_and_nothing_changes(centre, bad):
    need = make_ready_need(centre)
    team = make_team(centre, 2)
    record = dispatch(team, need)
    with pytest.raises(ReportRefused):
        report(record, **bad)
    need.refresh_from_db()
    team.refresh_from_db()
    assert need.status == NeedStatus.ASSIGNED
    assert team.status == Team.Status.DISPATCHED
    assert not ReturnReport.objects.exists()
    assert {m.hours for m in team.members.all()} == {None}


def test_the_leader_cannot_file_after_the_day_ends(centre):
    record = dispatch(make_team(centre, 2), make_ready_need(centre))
    Dispatch.objects.filter(pk=record.pk).update(date=record.date - timedelta(days=1))
    with pytest.raises(ReportRefused) as refused:
        report(record, via="leader")
    assert "有効期限" in refused.value.message
    # staff can still enter it the next morning
    report(record, via="staff")


def test_a_need_cancelled_while_the_team_was_out_stays_cancelled(centre):
    from ops.needs.transitions import change_status

    need = make_ready_need(centre)
    record = dispatch(make_team(centre, 2), need)
    change_status(need, NeedStatus.CANCELLED)
    report(record)
    need.refresh_from_db()
    assert need.status == NeedStatus.CANCELLED
    assert ReturnReport.objects.filter(dispatch=record).exists()



def test_the_need_page_shows_what_each_team_reported(client_as, centre):
    """The next day's coordinator plans a continuing need from what the last team wrote, and sees which team
    is out there now."""
    need = make_ready_need(centre, people_needed=6)
    first_team = make_team(centre, 3)
    report(dispatch(first_team, need), outcome="continue", hours="3", work_done="床下の泥出しは居間まで。和室が残り。",
           near_miss="床板を外した所で足を踏み外しかけた。", injuries=1)
    need.refresh_from_db()
    assert need.status == NeedStatus.CONTINUING
    second = dispatch(make_team(centre, 2), need)

    page = client_as(Role.COORDINATOR).get(
        reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk})).content.decode()
    rows = page.split('id="activities"')[1].split("</table>")[0].split("<tr")[2:]
    assert len(rows) == 2
    assert first_team.label in rows[0] and "継続（翌日以降も必要）" in rows[0]
    assert "床下の泥出しは居間まで。和室が残り。" in rows[0] and "床板を外した所で足を踏み外しかけた。" in rows[0]
    assert "けが人 1" in rows[0] and "3人・3時間" in rows[0]
    assert second.team.label in rows[1] and "活動中" in rows[1] and "和室" not in rows[1]

    # A viewer (e.g. the city) sees who went and how it ended, not the team's free text about the household.
    page = client_as(Role.VIEWER).get(
        reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk})).content.decode()
    rows = page.split('id="activities"')[1].split("</table>")[0].split("<tr")[2:]
    assert first_team.label in rows[0] and "継続（翌日以降も必要）" in rows[0] and "けが人 1" in rows[0]
    assert "和室" not in page and "踏み外し" not in page
    assert "—" not in rows[0].split("<td")[-1]  # the injury line is the report's cell: no "nothing here" dash
    assert "—" in rows[1].split("<td")[-1]  # the team still out has reported nothing yet


def test_the_need_page_shows_tools_out_until_the_tool_desk_takes_them_back(client_as, centre):
    from ops.dispatch.services import return_tools

    need = make_ready_need(centre)
    team = make_team(centre, 2)
    loan = lend_tools(team=team, kind=EquipmentKind.objects.create(centre=centre, name="土のう袋", total=99),
                      quantity=20)
    report(dispatch(team, need), via="leader")
    url = reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk})
    coordinator = client_as(Role.COORDINATOR)
    assert "資機材が未返却" in coordinator.get(url).content.decode()

    return_tools(loan=loan)
    assert "資機材が未返却" not in coordinator.get(url).content.decode()
