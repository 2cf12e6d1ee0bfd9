# ruff: noqa: F811  (the fixtures imported from conftest_run are the tests' arguments)
"""The player: each timeline entry played once, through the real services, when the scenario clock reaches it;
pause stops the clock and resume continues it; the end finishes the drill. The clock is Python's, frozen and
moved (time-machine), so each step is exact."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ops.centres.models import Role
from ops.drills import services
from ops.drills.models import Cue, Drill
from ops.drills.player import play_due
from ops.events import Event
from ops.needs.models import Need
from ops.volunteers.models import Attendance, Volunteer
from tests.conftest import run_together
from tests.drills.conftest_run import home, scenario_dir, tiny_drill  # noqa: F401

TOKYO = ZoneInfo("Asia/Tokyo")
MORNING = datetime(2026, 8, 3, 10, 0, tzinfo=TOKYO)


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def started(clock, tiny_drill, home):
    """The tiny drill (speed 60: a scenario minute a real second) started at MORNING."""
    return services.start(tiny_drill.drill, by=home.admin)


def after(clock, drill, scenario_minutes: float) -> None:
    """Move the real clock to where the drill's clock shows `scenario_minutes` after its start."""
    clock.move_to(drill.started_at + timedelta(seconds=scenario_minutes * 60 / drill.speed + drill.paused_seconds))


def played(drill) -> list[str]:
    return list(Cue.objects.filter(drill=drill).order_by("index").values_list("kind", flat=True))


def test_nothing_plays_before_the_start_and_each_entry_once_when_its_time_comes(clock, tiny_drill, home):
    drill = tiny_drill.drill
    assert play_due(drill.pk) == 0 and played(drill) == []
    drill = services.start(drill, by=home.admin)
    assert play_due(drill.pk) == 1 and played(drill) == ["arrival"]  # 08:00, the first of two arrivals
    after(clock, drill, 2)
    assert play_due(drill.pk) == 2  # 08:01 the second person and the group
    assert play_due(drill.pk) == 0
    after(clock, drill, 4.5)
    assert play_due(drill.pk) == 2 and played(drill)[-2:] == ["call", "walk_in"]
    drill.refresh_from_db()
    assert drill.next_cue == 5 and drill.status == Drill.Status.RUNNING


def test_simulated_volunteers_check_in_on_the_phone_path_and_count_like_qr_check_ins(started, clock):
    drill, centre = started, started.centre
    after(clock, drill, 2)
    play_due(drill.pk)
    heads = Attendance.objects.heads_on(centre, centre.today())
    assert heads["checked_in"] == 2 + 5  # two people and a group of five
    rows = Attendance.objects.filter(centre=centre)
    assert set(rows.values_list("via", flat=True)) == {Attendance.Via.PHONE}
    volunteers = Volunteer.objects.filter(attendances__centre=centre)
    assert all(v.email == "" and v.phone.startswith("090-0000-") for v in volunteers)
    cues = Cue.objects.filter(drill=drill, kind=Cue.Kind.ARRIVAL)
    assert {c.volunteer_id for c in cues} == set(volunteers.values_list("pk", flat=True))


def test_a_known_volunteer_is_recognised_not_registered_twice(scenario_dir, home, clock):
    from ops.drills.opening import open_drill

    first = open_drill(scenario="tiny", by=home.admin, speed=60)
    second = open_drill(scenario="tiny", by=home.admin, speed=60)
    for centre in (first, second):
        drill = services.start(centre.drill, by=home.admin)
        after(clock, drill, 2)
        play_due(drill.pk)
    assert Volunteer.objects.filter(phone__startswith="090-0000-").count() == 3
    assert Attendance.objects.filter(centre=second).count() == 3
    assert not Cue.objects.filter(drill__centre=second).exclude(detail__refused=None).exists()


def test_calls_are_rung_for_the_staff_and_the_board_gets_no_name(started, clock):
    drill = started
    after(clock, drill, 4.5)
    play_due(drill.pk)
    call = Cue.objects.get(drill=drill, kind=Cue.Kind.CALL)
    assert call.detail["caller"] == "伊藤 清" and call.detail["crisis"] is True and call.need is None
    rings = Event.objects.filter(centre=drill.centre, kind="drill.inject")
    assert rings.count() == 2
    for ring in rings:
        text = str(ring.payload)
        assert "伊藤" not in text and "080-0000" not in text and "荻原" not in text
    assert not Need.objects.filter(centre=drill.centre, phone="080-0000-8002").exists()  # the staff take it


def test_a_web_request_is_filed_as_the_public_form_files_it(started, clock):
    drill = started
    after(clock, drill, 5)
    play_due(drill.pk)
    cue = Cue.objects.get(drill=drill, kind=Cue.Kind.WEB_REQUEST)
    need = cue.need
    assert need.channel == Need.Channel.WEB and need.created_by is None and need.status == "new"
    assert need.phone == "070-0000-8004" and need.address.startswith(drill.centre.municipality)


def dispatch_a_team(centre, coordinator, need=None):
    """What the staff do: survey a need, make it ready, form a team of two checked-in volunteers, send it."""
    from ops.dispatch.services import dispatch, form_team
    from ops.needs.services import record_survey, set_status

    need = need or centre.needs.order_by("number").first()
    record_survey(need, by=coordinator, damage_type="below_floor", people_needed=3, days_needed=1)
    need.refresh_from_db()
    set_status(need, "ready", by=coordinator)
    free = list(Attendance.objects.filter(centre=centre, team__isnull=True, head_count=1).order_by("pk")[:2])
    team = form_team(centre=centre, on=centre.today(), members=free, leader=free[0], by=coordinator)
    return dispatch(team, need, by=coordinator)


def test_teams_the_staff_dispatched_come_back_with_their_leaders_report(started, clock, home):
    from ops.dispatch.models import Dispatch

    drill, centre = started, started.centre
    coordinator = home.staff[Role.COORDINATOR]
    after(clock, drill, 2)
    play_due(drill.pk)
    record = dispatch_a_team(centre, coordinator)
    after(clock, drill, 7.5)
    play_due(drill.pk)
    cue = Cue.objects.get(drill=drill, kind=Cue.Kind.TEAM_RETURN)
    record.refresh_from_db()
    assert record.status == Dispatch.Status.RETURNED and cue.team_id == record.team_id
    report = record.report
    assert report.outcome == "completed" and report.near_miss == "釘の出た板を踏みそうになった。"
    assert cue.detail["returned"] == [record.team.label]


def test_a_return_with_no_team_out_is_played_and_says_so(started, clock):
    after(clock, started, 7.5)
    play_due(started.pk)
    cue = Cue.objects.get(drill=started, kind=Cue.Kind.TEAM_RETURN)
    assert cue.team is None and cue.detail["returned"] == []


def test_a_refusal_of_the_services_is_the_drills_outcome_not_an_error(started, clock):
    from ops.centres import services as centre_services

    centre_services.set_recruitment(started.centre, status="none", scope="national", capacity=0)
    after(clock, started, 2)
    assert play_due(started.pk) == 3
    refused = Cue.objects.filter(drill=started, kind=Cue.Kind.ARRIVAL)
    assert all(c.detail.get("refused") for c in refused)
    assert not Attendance.objects.filter(centre=started.centre).exists()


def test_pause_stops_the_clock_and_resume_continues_it(started, clock, home):
    drill = started
    after(clock, drill, 2)
    play_due(drill.pk)
    drill = services.pause(drill, by=home.admin)
    clock.shift(timedelta(hours=1))
    assert play_due(drill.pk) == 0
    assert drill.scenario_seconds() == pytest.approx(120)
    with pytest.raises(services.DrillError):
        services.pause(drill, by=home.admin)
    drill = services.resume(drill, by=home.admin)
    assert drill.paused_seconds == pytest.approx(3600) and drill.scenario_seconds() == pytest.approx(120)
    assert play_due(drill.pk) == 0
    clock.shift(timedelta(seconds=2.5))  # two and a half scenario minutes on: the call and the walk-in
    assert play_due(drill.pk) == 2


def test_starting_fits_the_centres_hours_to_the_compressed_day(clock, tiny_drill, home):
    from ops.drills.opening import open_drill

    centre = open_drill(scenario="morning_rush", by=home.admin, speed=6)
    services.start(centre.drill, by=home.admin)
    centre.refresh_from_db()
    # 08:00 is 10:00 real; the 15:30 deadline 7.5 h on at speed 6 is 75 minutes later; 16:00 the end
    assert (centre.activity_start.strftime("%H:%M"), centre.latest_return_time.strftime("%H:%M"),
            centre.activity_end.strftime("%H:%M")) == ("10:00", "11:15", "11:20")


def test_the_drill_finishes_once_the_day_is_played(started, clock):
    after(clock, started, 9)
    assert play_due(started.pk) == 8
    started.refresh_from_db()
    assert started.status == Drill.Status.RUNNING  # the day is not over yet
    after(clock, started, 10)
    play_due(started.pk)
    started.refresh_from_db()
    assert started.status == Drill.Status.FINISHED and started.finished_at is not None
    assert Event.objects.filter(centre=started.centre, kind="drill.state").count() == 2


def test_start_pause_resume_finish_refuse_the_wrong_state_and_write_nothing(clock, tiny_drill, home):
    drill = tiny_drill.drill
    for act in (services.pause, services.resume, services.finish):
        with pytest.raises(services.DrillError):
            act(drill, by=home.admin)
    drill.refresh_from_db()
    assert drill.status == Drill.Status.READY and drill.started_at is None
    services.finish(services.start(drill, by=home.admin), by=home.admin)
    with pytest.raises(services.DrillError):
        services.start(drill, by=home.admin)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_play_each_entry_once(scenario_dir, home):
    from ops.drills.opening import open_drill
    from tests import factories

    factories.ensure_work_types()
    centre = open_drill(scenario="tiny", by=home.admin, speed=60)
    drill = services.start(centre.drill, by=home.admin)
    Drill.objects.filter(pk=drill.pk).update(started_at=drill.started_at - timedelta(seconds=9))
    results, errors = run_together(4, lambda i: play_due(drill.pk))
    assert errors == [None] * 4
    while play_due(drill.pk):  # a worker that found the drill locked left the rest for the next tick
        pass
    assert sorted(Cue.objects.filter(drill=drill).values_list("index", flat=True)) == list(range(8))
    assert Attendance.objects.filter(centre=centre).count() == 3
    assert Need.objects.filter(centre=centre, channel="web").count() == 1
    assert Event.objects.filter(centre=centre, kind="drill.inject").count() == 3


@pytest.mark.parametrize("name", ["heavy_rain", "satellite"])  # the others: more of the same kinds
def test_each_shipped_scenario_plays_to_the_end_without_an_error(clock, home, name):
    """The whole day at once (no staff: the team returns find no team and the calls stay untaken): every entry
    goes through the services without an error; what they refuse is a drill's outcome, not a fault."""
    from ops.drills.opening import open_drill

    centre = open_drill(scenario=name, by=home.admin, staff_from=home)
    drill = services.start(centre.drill, by=home.admin)
    loaded = drill.load_scenario()
    after(clock, drill, loaded.length / 60 + 1)
    assert play_due(drill.pk) == len(loaded.timeline)
    errors = [c.detail for c in Cue.objects.filter(drill=drill) if "error" in c.detail or "refused" in c.detail]
    assert errors == []
    drill.refresh_from_db()
    assert drill.status == Drill.Status.FINISHED


def test_the_tick_plays_every_running_drill_and_a_broken_file_stops_only_its_own(clock, scenario_dir, home):
    from ops.drills.opening import open_drill
    from ops.drills.tasks import drill_tick

    broken, good = (open_drill(scenario="tiny", by=home.admin, speed=60) for _ in range(2))
    for centre in (broken, good):
        services.start(centre.drill, by=home.admin)
    Drill.objects.filter(pk=broken.drill.pk).update(scenario="gone")
    after(clock, Drill.objects.get(pk=good.drill.pk), 2)
    assert drill_tick() == 3
    assert Cue.objects.filter(drill=good.drill).count() == 3 and not Cue.objects.filter(drill=broken.drill).exists()
