"""The after-action review of a small scripted drill: the cues are written here, the staff's actions go through
the real services at controlled moments (time-machine), and every figure is asserted exactly."""
from datetime import timedelta

import pytest
import time_machine

from ops.centres.models import Role
from ops.dispatch.services import dispatch, file_return_report, form_team, mark_contacted
from ops.drills import review
from ops.drills.models import Cue
from ops.drills.outcome import link_cues
from ops.needs.models import Need, NeedStatus
from ops.needs.services.intake import record_need
from ops.needs.services.status import set_status
from ops.needs.services.survey import record_survey
from ops.volunteers.services.attendance import check_in
from tests import factories
from tests.drills.conftest_review import T0, cue, make_drill, open_drill_centre, staff

pytestmark = pytest.mark.django_db

HEALTH = {"no_fever": True, "feeling_well": True, "rested": True}


def minutes(n):
    return T0 + timedelta(minutes=n)


def intake(centre, by, phone, **kw):
    return record_need(centre=centre, by=by, requester_name="訓練 太郎", requester_kana="クンレン タロウ",
                       phone=phone, address="テスト市北町1-1", district="北町", lat=36.651, lng=138.181,
                       work_types=["mud"], people_needed=2, channel=Need.Channel.PHONE, **kw)


def play_the_day():
    """The scripted drill: 4 requests (one never taken in, two 危機介入 households of which one is missed),
    3 volunteers (2 in a team, 1 left waiting), one team back late after staff phoned it."""
    centre = open_drill_centre()
    desk, coord = staff(centre, Role.INTAKE), staff(centre, Role.COORDINATOR)
    drill = make_drill(centre)
    people = [factories.make_volunteer() for _ in range(3)]
    with time_machine.travel(T0, tick=False) as clock:
        cue(drill, 0, Cue.Kind.CALL, played_at=minutes(0), at="08:00", phone="090-7000-0001")
        clock.move_to(minutes(1))
        cue(drill, 1, Cue.Kind.CALL, played_at=minutes(1), at="08:06", phone="090-7000-0002", crisis=True)
        first, second = (check_in(v, centre, on=centre.today(), health=HEALTH, insurance_confirmed=True)
                         for v in people[:2])
        clock.move_to(minutes(2))
        cue(drill, 2, Cue.Kind.WALK_IN, played_at=minutes(2), at="08:12", phone="0907000-0003", crisis=True)
        need_a = intake(centre, desk, "090-7000-0001")
        check_in(people[2], centre, on=centre.today(), health=HEALTH, insurance_confirmed=True)
        clock.move_to(minutes(3))
        cue(drill, 3, Cue.Kind.CALL, played_at=minutes(3), at="08:18", phone="090-7000-0004")  # never taken in
        clock.move_to(minutes(4))
        intake(centre, desk, "090-7000-0002", welfare=Need.Welfare.CRISIS)
        web = intake(centre, None, "090-7000-0005", actor="resident")
        cue(drill, 4, Cue.Kind.WEB_REQUEST, played_at=minutes(4), at="08:24").need = web
        Cue.objects.filter(index=4).update(need=web)  # the player links what it made itself
        clock.move_to(minutes(5))
        intake(centre, desk, "090-7000-0003")  # the walk-in: its household not flagged
        clock.move_to(minutes(6))
        record_survey(need_a, by=coord, damage_type="below_floor", people_needed=2, days_needed=1)
        set_status(need_a, NeedStatus.READY, by=coord)
        clock.move_to(minutes(7))
        team = form_team(centre=centre, on=centre.today(), members=[first.pk, second.pk], leader=first.pk, by=coord)
        clock.move_to(minutes(8))
        record = dispatch(team, need_a, by=coord, return_by=minutes(10))
        clock.move_to(minutes(12))
        mark_contacted(team, centre=centre, by=coord)
        clock.move_to(minutes(15))
        file_return_report(record, outcome="completed", people=2, hours=1, by=coord)
    drill.finished_at = minutes(20)
    drill.save(update_fields=["finished_at"])
    return drill


def spans(s):
    return s.as_dict() if s else None


def test_each_request_times_intake_survey_and_dispatch_in_real_and_scenario_minutes():
    r = review.after_action(play_the_day())
    rows = [(c["index"], c["at"], c["need"].label if c["need"] else None, spans(c["intake"]), spans(c["survey"]),
             spans(c["dispatch"])) for c in r["calls"]]
    assert rows == [
        (0, "08:00", "N-0001", {"real": 2.0, "scenario": 12}, {"real": 6.0, "scenario": 36},
         {"real": 8.0, "scenario": 48}),
        (1, "08:06", "N-0002", {"real": 3.0, "scenario": 18}, None, None),
        (2, "08:12", "N-0004", {"real": 3.0, "scenario": 18}, None, None),
        (3, "08:18", None, None, None, None),
        (4, "08:24", "N-0003", {"real": 0.0, "scenario": 0}, None, None),
    ]
    s = r["summary"]
    assert (s["calls"], s["entered"], s["surveyed"], s["dispatched"]) == (5, 4, 1, 1)
    assert s["intake"]["average"].as_dict() == {"real": 2.0, "scenario": 12}
    assert s["intake"]["longest"].as_dict() == {"real": 3.0, "scenario": 18}


def test_a_team_past_its_return_time_and_how_long_until_it_was_noticed():
    r = review.after_action(play_the_day())
    [t] = r["teams"]
    assert (t["team"].label, t["need"].label, t["noticed_how"]) == ("T-01", "N-0001", "contacted")
    assert (t["noticed_at"], t["returned_at"]) == (minutes(12), minutes(15))
    assert t["until_noticed"].as_dict() == {"real": 2.0, "scenario": 12}
    assert t["late"].as_dict() == {"real": 5.0, "scenario": 30}
    assert (r["summary"]["overdue_teams"], r["summary"]["noticed"]) == (1, 1)


def test_crisis_households_flagged_or_missed_and_how_fast():
    r = review.after_action(play_the_day())
    rows = [(c["index"], c["need"].label, c["level"], spans(c["flag"])) for c in r["crisis"]]
    assert rows == [(1, "N-0002", "crisis", {"real": 3.0, "scenario": 18}), (2, "N-0004", "none", None)]
    s = r["summary"]
    assert (s["crisis"], s["crisis_flagged"], s["crisis_missed"]) == (2, 1, 1)


def test_volunteers_waiting_without_a_team():
    r = review.after_action(play_the_day())
    rows = [(v["outcome"], v["team"].label if v["team"] else None, spans(v["wait"])) for v in r["volunteers"]]
    assert rows == [("team", "T-01", {"real": 6.0, "scenario": 36}), ("team", "T-01", {"real": 6.0, "scenario": 36}),
                    ("waiting", None, {"real": 18.0, "scenario": 108})]
    s = r["summary"]
    assert (s["volunteers"], s["teamed"], s["still_waiting"], s["left"]) == (3, 2, 1, 0)
    assert s["wait"]["longest"].as_dict() == {"real": 18.0, "scenario": 108}


def test_what_went_wrong_in_words():
    lines = review.after_action(play_the_day())["findings"]
    assert lines == [
        "危機介入の世帯（08:12、N-0004）に福祉的支援の区分が付きませんでした。",
        "1件の依頼がニーズとして受け付けられていません（08:18）。",
        "2件の依頼で、受付まで15分（訓練時間）を超えました（最長18分）。",
        "終了時点で1人のボランティアが班に入らずに待っていました。",
    ]


def test_linking_calls_is_idempotent_and_gives_each_need_to_one_call():
    drill = play_the_day()
    assert link_cues(drill) == 3  # the three calls and walk-ins staff typed in (the web request was linked)
    linked = dict(drill.cues.values_list("index", "need__number"))
    assert linked == {0: 1, 1: 2, 2: 4, 3: None, 4: 3}
    assert link_cues(drill) == 0


def test_those_who_waited_are_listed_by_minute_of_check_in_not_one_line_a_person():
    """A morning rush is hundreds of check-ins in a few minutes: the review's list of who waited is one line per
    minute, outcome and team, with the heads added and the longest wait (it was one line a person: 225 lines
    after eight minutes of the demo's drill)."""
    at = T0.replace(second=5)
    rows = [{"checked_in_at": at + timedelta(seconds=s), "outcome": o, "team": None, "heads": h,
             "wait": review.Span(m * 60, 6)}
            for s, o, h, m in ((0, "waiting", 1, 5), (20, "waiting", 3, 7), (40, "left", 1, 2), (70, "waiting", 1, 4))]
    groups = review.waited_groups(rows)
    assert [(g["checked_in_at"].strftime("%H:%M"), g["outcome"], g["heads"], g["wait"].scenario) for g in groups] == [
        ("09:00", "waiting", 4, 42), ("09:00", "left", 1, 12), ("09:01", "waiting", 1, 24)]
