"""The drill's player: plays each timeline entry whose moment has come on the scenario clock, once, through the
real services, and keeps what it played as a Cue.

Exactly once: each entry is played in a transaction of its own that holds the Drill's row lock (another worker
finds it locked and leaves, `skip_locked`), writes the entry's effects, its Cue and the advanced `next_cue`
together. A refusal of a service (a full day, 活動中止, a closed slip) is the drill's outcome, kept in the cue's
detail; so is an unexpected error, rolled back to the entry's savepoint, so one bad entry never stops the day.

What the player does, and what it leaves to the staff: volunteers register (or are recognised) and check in
on the phone's path like a QR check-in; web requests go through intake as the public form files them; teams
the staff dispatched file their leader's return report. Calls, walk-ins and 状況付与 are only rung: the staff
type the calls into the real intake page (the 「訓練の電話」 panel) and decide what the injects ask. The player
never forms a team, dispatches one or takes a call.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ops import audit
from ops.drills import scenario as scenarios
from ops.drills.models import Cue, Drill
from ops.events import emit

log = logging.getLogger(__name__)
WORK_DONE = {
    "completed": "作業を終えた。依頼者に確認済み。",
    "continue": "作業の途中まで。残りは次の班に引き継ぐ。",
    "could_not": "作業できず撤収した。",
}


def play_due(drill_id: int, now: datetime | None = None) -> int:
    """Play every entry that is due; returns how many this call played. Finishes the drill once the
    timeline is played and the scenario day is over."""
    played, scenario = 0, None
    token = audit.set_actor(label="drill")
    try:
        while True:
            with transaction.atomic():
                drill = (Drill.objects.select_for_update(skip_locked=True, of=("self",))
                         .select_related("centre__disaster").filter(pk=drill_id).first())
                if drill is None or drill.status != Drill.Status.RUNNING:
                    return played
                scenario = scenario or drill.load_scenario()
                moment = now or timezone.now()
                seconds = drill.scenario_seconds(moment)
                if drill.next_cue >= len(scenario.timeline):
                    if seconds >= scenario.length:
                        from ops.drills.services import finish

                        finish(drill)
                    return played
                entry = scenario.timeline[drill.next_cue]
                if entry.at > seconds:
                    return played
                _play(drill, scenario, entry, moment)
                drill.next_cue += 1
                drill.save(update_fields=["next_cue"])
            played += 1
    finally:
        audit.reset_actor(token)


def _play(drill: Drill, scenario, entry, moment: datetime) -> Cue:
    cue = Cue(drill=drill, index=entry.index, kind=entry.kind, at_seconds=entry.at, played_at=moment,
              detail=dict(entry.detail))
    try:
        with transaction.atomic():
            PLAYS[entry.kind](drill, entry, cue, moment)
    except REFUSALS as refusal:
        cue.detail["refused"] = str(getattr(refusal, "message", None) or refusal)
    except Exception as err:  # a scenario's entry the services cannot take: the drill goes on without it
        log.exception("drill %s: entry %s could not be played", drill.pk, entry.index)
        cue.detail["error"] = f"{type(err).__name__}: {err}"[:300]
    if "refused" in cue.detail or "error" in cue.detail:  # what it made was rolled back with it
        cue.need = cue.volunteer = cue.team = None
    cue.save()
    return cue


def _arrival(drill, entry, cue, moment):
    """A volunteer (or a group's leader for the group) arrives: registered on their phone if new, recognised if
    not, and checked in on the QR path (via phone), at the entry's base when the staff have opened it."""
    from ops.centres.models import Base
    from ops.volunteers.models import Attendance, Volunteer
    from ops.volunteers.rules import HEALTH_ITEMS
    from ops.volunteers.services import check_in, find_returning, register_group, register_volunteer

    centre, d = drill.centre, entry.detail
    person = {"name": d["name"], "kana": d["kana"], "phone": d["phone"]}
    volunteer = find_returning(**person)
    if volunteer is None and d.get("group"):
        volunteer = register_group(centre=centre, name=d["group"], leader_name=d["name"], leader_kana=d["kana"],
                                   phone=d["phone"], member_count=d["count"], age_band=d["age_band"],
                                   prefecture=centre.prefecture, city=centre.municipality).leader
    elif volunteer is None:
        volunteer = register_volunteer(**person, age_band=d["age_band"], prefecture=centre.prefecture,
                                       city=centre.municipality, insurance=Volunteer.Insurance.ENROLLED,
                                       centre=centre)
    cue.volunteer = volunteer
    base = None
    if d.get("base"):
        base = Base.objects.filter(centre=centre, name=d["base"]).active().first()
        if base is None:
            cue.detail["base_missing"] = True
    check_in(volunteer, centre, on=centre.today(), via=Attendance.Via.PHONE,
             health={key: True for key, _label in HEALTH_ITEMS}, insurance_confirmed=True,
             head_count=d.get("count", 1) if d.get("group") else 1, base=base)


def _rung(drill, entry, cue, moment):
    """A call or a resident at the counter: shown to the intake staff on the calls panel; the boards get a
    bare ring (the time, no name or number: the staff board is read by roles without residents' data)."""
    emit(drill.centre, "drill.inject", {"inject": {"kind": entry.kind, "at": entry.clock, "index": entry.index}})


def _web_request(drill, entry, cue, moment):
    """A resident's web request, filed as the public request form files it (no staff, actor web)."""
    from ops.needs.services import record_need

    cue.need = record_need(centre=drill.centre, by=None, actor="web",
                           **scenarios.need_fields(drill.centre, entry.detail, channel="web"))


def _team_return(drill, entry, cue, moment):
    """Teams the staff dispatched come back and their leaders file the report: those out at least `after`
    scenario minutes, oldest first; `hold` of them are kept out (the team that does not come back on time)
    until an entry with `late = true` brings the held ones back."""
    from ops.dispatch.errors import ReportRefused
    from ops.dispatch.models import Dispatch
    from ops.dispatch.services import file_return_report

    d = entry.detail
    held = {team for c in drill.cues.filter(kind=Cue.Kind.TEAM_RETURN) for team in c.detail.get("held", [])}
    active = list(Dispatch.objects.active().filter(centre=drill.centre).select_related("team")
                  .order_by("dispatched_at", "pk"))
    if d.get("late"):
        candidates, hold = [r for r in active if r.team_id in held], 0
    else:
        cutoff = moment - timedelta(seconds=d.get("after", 60) * 60 / drill.speed)
        candidates, hold = [r for r in active if r.team_id not in held and r.dispatched_at <= cutoff], d.get("hold", 0)
    kept, returning = candidates[:hold], candidates[hold:hold + d.get("teams", 1)]
    cue.detail["held"] = [r.team_id for r in kept]
    cue.detail["returned"] = []
    outcomes = d.get("outcomes", ["completed"])
    for i, record in enumerate(returning):
        outcome = outcomes[i % len(outcomes)]
        try:
            file_return_report(record, outcome=outcome, people=record.people, hours=d.get("hours", "4"),
                               work_done=d.get("work_done", WORK_DONE[outcome]),
                               near_miss=d.get("near_miss", "") if i == 0 else "", via="leader")
        except ReportRefused as refusal:
            cue.detail.setdefault("refusals", []).append(f"{record.team.label}: {refusal}")
            continue
        cue.detail["returned"].append(record.team.label)
    first = (returning or kept)[:1]
    cue.team = first[0].team if first else None


def _inject(drill, entry, cue, moment):
    d = entry.detail
    emit(drill.centre, "drill.inject", {"inject": {
        "kind": "inject", "at": entry.clock, "index": entry.index, "text": d["text"], "text_en": d.get("text_en", ""),
        "expect": d.get("expect", "")}})


PLAYS = {"arrival": _arrival, "call": _rung, "walk_in": _rung, "web_request": _web_request,
         "team_return": _team_return, "inject": _inject}


def _refusals() -> tuple:
    from django.core.exceptions import ValidationError

    from ops.dispatch.errors import DispatchError
    from ops.needs.services.errors import NeedError
    from ops.volunteers.rules import VolunteerError

    return (VolunteerError, NeedError, DispatchError, ValidationError)


REFUSALS = _refusals()
