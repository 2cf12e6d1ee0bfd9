"""Running a drill (訓練の進行): start, pause, resume and finish, each in one transaction under the drill's row
lock, refused (DrillError, nothing written) when the drill is not in a state it can take, audited, and told
to the boards as `drill.state`.

The scenario's day is compressed onto the real clock, and the centre's real pages read the centre's real hours
(the 帰着期限 a dispatch is due back by, the overdue badge on the board). So starting and resuming fit the drill
centre's hours to the compressed day: its 受付開始 is now, its 帰着期限 the real moment the scenario clock will
reach the scenario's deadline. A team of the drill is then overdue exactly when it would be on the day.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.drills.models import Drill
from ops.drills.scenario import ScenarioError
from ops.events import emit


class DrillError(Exception):
    def __init__(self, message: str, code: str = "state"):
        super().__init__(message)
        self.message, self.code = message, code


def state_of(drill: Drill, now: datetime | None = None, scenario=None) -> dict:
    """The drill as the boards and the control page get it (no personal data)."""
    scenario = scenario or drill.load_scenario()
    seconds = drill.scenario_seconds(now)
    return {"status": drill.status, "status_label": str(drill.get_status_display()),
            "clock": scenario.clock_at(min(seconds, scenario.length)), "speed": drill.speed,
            "played": drill.next_cue, "total": len(scenario.timeline)}


def _locked(drill: Drill) -> Drill:
    return Drill.objects.select_for_update().select_related("centre__disaster").get(pk=drill.pk)


def _change(drill: Drill, *, by, action: str, allowed: tuple[str, ...], refusal: str, apply) -> Drill:
    with transaction.atomic():
        locked = _locked(drill)
        if not locked.centre.is_drill:
            raise DrillError(_("訓練センターではありません。"), code="not_drill")
        if locked.status not in allowed:
            raise DrillError(refusal)
        try:
            scenario = locked.load_scenario()
        except ScenarioError:  # its file was removed or broken since the opening: say so, write nothing
            raise DrillError(_("この訓練のシナリオファイルが読み込めません。管理者に確認してください。"),
                             code="scenario") from None
        now = timezone.now()
        with audit.operation(action, by=by, centre=locked.centre):
            fields = apply(locked, now)
            locked.save(update_fields=fields)
            audit.changed(locked, fields=fields)
        if locked.status == Drill.Status.RUNNING:
            fit_hours(locked, scenario, now=now, by=by)
        emit(locked.centre, "drill.state", {"drill": state_of(locked, now, scenario)})
    return locked


def start(drill: Drill, *, by) -> Drill:
    def apply(d, now):
        d.status, d.started_at, d.paused_at, d.paused_seconds = Drill.Status.RUNNING, now, None, 0.0
        return ["status", "started_at", "paused_at", "paused_seconds"]

    return _change(drill, by=by, action="drill.started", allowed=(Drill.Status.READY,),
                   refusal=_("この訓練は開始できません（開始前の訓練だけが開始できます。終わった訓練はリセットしてください）。"),
                   apply=apply)


def pause(drill: Drill, *, by) -> Drill:
    def apply(d, now):
        d.status, d.paused_at = Drill.Status.PAUSED, now
        return ["status", "paused_at"]

    return _change(drill, by=by, action="drill.paused", allowed=(Drill.Status.RUNNING,),
                   refusal=_("実施中の訓練だけが一時停止できます。"), apply=apply)


def resume(drill: Drill, *, by) -> Drill:
    def apply(d, now):
        d.paused_seconds += (now - d.paused_at).total_seconds()
        d.status, d.paused_at = Drill.Status.RUNNING, None
        return ["status", "paused_at", "paused_seconds"]

    return _change(drill, by=by, action="drill.resumed", allowed=(Drill.Status.PAUSED,),
                   refusal=_("一時停止中の訓練だけが再開できます。"), apply=apply)


def finish(drill: Drill, *, by=None) -> Drill:
    """End the drill (by the controller, or by the player once the timeline is played and the day is over)."""
    def apply(d, now):
        d.status, d.finished_at = Drill.Status.FINISHED, now
        return ["status", "finished_at"]

    return _change(drill, by=by, action="drill.finished", allowed=(Drill.Status.RUNNING, Drill.Status.PAUSED),
                   refusal=_("この訓練はすでに終了しているか、まだ開始していません。"), apply=apply)


def fit_hours(drill: Drill, scenario, *, now: datetime, by=None) -> None:
    """The drill centre's 受付開始 / 帰着期限 / 活動終了 set to the real moments the compressed day reaches them
    (whole minutes, each after the one before; a day that would run past midnight is left as it is)."""
    from ops.centres.services import CentreSettingError, set_hours

    centre = drill.centre
    moments = [now, drill.real_at(scenario.seconds_of(scenario.latest_return), now),
               drill.real_at(scenario.length, now)]
    clocks, last = [], None
    for moment in moments:
        local = centre.local(moment).replace(second=0, microsecond=0)
        if last is not None and local <= last:
            local = last + timedelta(minutes=1)
        clocks.append(local)
        last = local
    if any(c.date() != clocks[0].date() for c in clocks) or clocks[-1].time() == time(23, 59):
        return
    start, back, end = (c.time() for c in clocks)
    try:
        set_hours(centre, activity_start=start, latest_return_time=back, activity_end=end, report_time=end, by=by)
    except CentreSettingError:  # the compressed day does not fit the centre's clock: its hours stay
        return
