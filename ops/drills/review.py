"""振り返り (after-action review) of a drill: how fast the staff took each call in, surveyed it and sent a team; which
teams stayed out past their return time and how long until someone noticed; whether the 危機介入 households hidden
among the calls were flagged, and how fast; who waited without a team. Each span in real minutes and in scenario
minutes (real × the drill's speed), for the council's review of roles and the operations manual (役割の明確化と
運営マニュアルの見直し). Reads only what the real services wrote; `outcome.link_cues` first ties calls to needs."""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ops.dispatch.models import Dispatch
from ops.drills.models import Cue, Drill
from ops.drills.outcome import link_cues
from ops.needs.models import Need
from ops.volunteers.models import Attendance
from ops.welfare.models import Case

REQUESTS = (Cue.Kind.CALL, Cue.Kind.WALK_IN, Cue.Kind.WEB_REQUEST)
# What the review calls slow, in scenario minutes (the pace the day is played at, not the compressed one).
SLOW_INTAKE = 15
SLOW_FLAG = 30
SLOW_NOTICE = 15
LONG_WAIT = 60


@dataclass(frozen=True)
class Span:
    """A time between two moments: `real` minutes (one decimal) and `scenario` minutes (× speed, whole)."""
    seconds: float
    speed: int

    @property
    def real(self) -> float:
        return round(self.seconds / 60, 1)

    @property
    def scenario(self) -> int:
        return round(self.seconds * self.speed / 60)

    def as_dict(self) -> dict:
        return {"real": self.real, "scenario": self.scenario}


def after_action(drill: Drill, *, now: datetime | None = None, welfare: bool = True) -> dict:
    """The review's figures: `calls`, `teams`, `crisis`, `volunteers` (one row each), their `summary`, and
    `findings` (what went wrong, in words). The drill's end is when it finished, else `now`. `welfare`: the
    reader sees the households' welfare flags (ops.privacy); without it nothing says which call was a 危機介入
    household, nor how it was flagged."""
    link_cues(drill)
    end = drill.finished_at or now or timezone.now()
    speed = drill.speed or 1

    def span(start, stop) -> Span | None:
        return Span((stop - start).total_seconds(), speed) if start and stop else None

    cues = list(drill.cues.filter(kind__in=REQUESTS).order_by("index"))
    needs = _needs_of(cues)
    calls = [_call_row(cue, needs.get(cue.need_id), span, welfare=welfare) for cue in cues]
    crisis = [_crisis_row(cue, needs.get(cue.need_id), span) for cue in cues
              if welfare and (cue.detail or {}).get("crisis")]
    teams = _team_rows(drill, end, span)
    volunteers = _volunteer_rows(drill, end, span)
    summary = {
        "calls": len(calls), "entered": sum(1 for c in calls if c["intake"]),
        "surveyed": sum(1 for c in calls if c["survey"]), "dispatched": sum(1 for c in calls if c["dispatch"]),
        "intake": _stats(c["intake"] for c in calls), "survey": _stats(c["survey"] for c in calls),
        "dispatch": _stats(c["dispatch"] for c in calls),
        "overdue_teams": len(teams), "noticed": sum(1 for t in teams if t["noticed_at"]),
        "until_noticed": _stats(t["until_noticed"] for t in teams),
        "crisis": len(crisis), "crisis_flagged": sum(1 for c in crisis if c["flag"]),
        "crisis_missed": sum(1 for c in crisis if not c["flag"]), "flag": _stats(c["flag"] for c in crisis),
        "volunteers": _heads(volunteers), "teamed": _heads(v for v in volunteers if v["outcome"] == "team"),
        "still_waiting": _heads(v for v in volunteers if v["outcome"] == "waiting"),
        "left": _heads(v for v in volunteers if v["outcome"] == "left"),
        "wait": _stats(v["wait"] for v in volunteers),
    }
    return {"drill": drill, "centre": drill.centre, "speed": speed, "scenario_title": scenario_title(drill), "welfare": welfare, "started_at": drill.started_at, "end": end,
            "finished": drill.finished_at is not None, "calls": calls, "crisis": crisis, "teams": teams,
            "volunteers": volunteers, "summary": summary,
            "waited": waited_groups(v for v in volunteers if v["outcome"] != "team" or v["wait"].scenario > LONG_WAIT),
            "findings": findings(calls, crisis, teams, volunteers),
            "thresholds": {"intake": SLOW_INTAKE, "flag": SLOW_FLAG, "notice": SLOW_NOTICE, "wait": LONG_WAIT}}


def scenario_title(drill: Drill) -> str:
    """The scenario's title in the reader's language (its file's name when the file no longer loads)."""
    from ops.drills.scenario import ScenarioError

    try:
        return drill.load_scenario().localized_title(get_language() or "ja")
    except ScenarioError:
        return drill.scenario


def waited_groups(rows) -> list[dict]:
    """Those who waited, one line per minute of check-in, outcome and team (a morning rush is hundreds of people
    in a few minutes: the review reads as a list of moments, not of people): heads summed, the longest wait."""
    groups: dict[tuple, dict] = {}
    for v in rows:
        minute = v["checked_in_at"].replace(second=0, microsecond=0)
        key = (minute, v["outcome"], v["team"].pk if v["team"] else None)
        group = groups.setdefault(key, {**v, "checked_in_at": minute, "heads": 0})
        group["heads"] += v["heads"]
        if v["wait"].real > group["wait"].real:
            group["wait"] = v["wait"]
    return list(groups.values())


def _heads(rows) -> int:
    return sum(v["heads"] for v in rows)


def _stats(spans) -> dict | None:
    """Average and longest of the spans that exist (None when there is none)."""
    spans = [s for s in spans if s is not None]
    if not spans:
        return None
    speed = spans[0].speed
    return {"average": Span(sum(s.seconds for s in spans) / len(spans), speed),
            "longest": max(spans, key=lambda s: s.seconds)}


def scenario_time(cue: Cue) -> str:
    """The cue's moment on the scenario's clock: the file's own "HH:MM", else +H:MM from its start."""
    written = (cue.detail or {}).get("at")
    if isinstance(written, str) and written:
        return written
    return f"+{cue.at_seconds // 3600}:{cue.at_seconds % 3600 // 60:02d}"


def _needs_of(cues) -> dict:
    """The cues' needs by id, each with its first survey, first dispatch (a cancelled one never happened) and
    the moment its household's welfare case first opened (`flagged_at`), in two queries."""
    ids = {cue.need_id for cue in cues if cue.need_id}
    needs = {n.pk: n for n in Need.objects.filter(pk__in=ids).annotate(
        first_survey=Min("surveys__surveyed_at"),
        first_dispatch=Min("dispatches__dispatched_at", filter=~Q(dispatches__status=Dispatch.Status.CANCELLED)))}
    flagged = (Case.objects.filter(household__needs__in=ids).values("household__needs")
               .annotate(at=Min("opened_at")).values_list("household__needs", "at"))
    for need_id, at in flagged:
        needs[need_id].flagged_at = at
    return needs


def _call_row(cue: Cue, need: Need | None, span, *, welfare: bool) -> dict:
    surveyed = need.first_survey if need else None
    sent = need.first_dispatch if need else None
    return {
        "index": cue.index, "kind": cue.kind, "kind_label": cue.get_kind_display(), "at": scenario_time(cue),
        "played_at": cue.played_at, "need": need, "crisis": welfare and bool((cue.detail or {}).get("crisis")),
        "intake": span(cue.played_at, need.received_at) if need else None,
        "survey": span(cue.played_at, surveyed), "dispatch": span(cue.played_at, sent),
    }


def _crisis_row(cue: Cue, need: Need | None, span) -> dict:
    """A 危機介入 household of the scenario: flagged (危機介入 or 見守り) when its household's welfare case opened."""
    flagged_at = getattr(need, "flagged_at", None)
    level = need.welfare if need and flagged_at else Need.Welfare.NONE
    return {"index": cue.index, "at": scenario_time(cue), "need": need, "flagged_at": flagged_at,
            "level": level, "level_label": Need.Welfare(level).label, "flag": span(cue.played_at, flagged_at)}


def _team_rows(drill: Drill, end, span) -> list[dict]:
    """Each dispatch whose team was out past its return time (back late, or still out at the end). Noticed:
    staff marked it 連絡済み, else its return report came in (the team told us itself)."""
    rows = []
    dispatches = (Dispatch.objects.counted().filter(centre_id=drill.centre_id)
                  .select_related("team", "need").order_by("expected_return_at", "pk"))
    for record in dispatches:
        back = record.returned_at
        if (back or end) <= record.expected_return_at:
            continue
        if record.contacted_at:
            noticed_at, how = record.contacted_at, "contacted"
        elif back:
            noticed_at, how = back, "report"
        else:
            noticed_at, how = None, ""
        rows.append({
            "team": record.team, "need": record.need, "expected_return_at": record.expected_return_at,
            "returned_at": back, "noticed_at": noticed_at, "noticed_how": how,
            "late": span(record.expected_return_at, back or end),
            "until_noticed": span(record.expected_return_at, noticed_at or end),
        })
    return rows


def _volunteer_rows(drill: Drill, end, span) -> list[dict]:
    """Each check-in at the drill: how long until the volunteer was in a team (its forming), or until they
    went home without one, or until the end still waiting. No names: the review is read by leaders too."""
    rows = []
    attendances = (Attendance.objects.filter(centre_id=drill.centre_id).select_related("team")
                   .order_by("checked_in_at", "pk"))
    for a in attendances:
        if a.team_id is not None:
            until, outcome = max(a.team.created_at, a.checked_in_at), "team"
        elif a.checked_out_at is not None:
            until, outcome = a.checked_out_at, "left"
        else:
            until, outcome = end, "waiting"
        rows.append({"id": a.pk, "heads": a.head_count, "checked_in_at": a.checked_in_at,
                     "team": a.team, "outcome": outcome, "wait": span(a.checked_in_at, until)})
    return rows


def findings(calls, crisis, teams, volunteers) -> list[str]:
    """What went wrong, in plain words, for the manual review (most serious first)."""
    lines = []
    for c in crisis:
        need = c["need"].label if c["need"] else _("ニーズ未受付")
        if not c["flag"]:
            lines.append(_("危機介入の世帯（%(at)s、%(need)s）に福祉的支援の区分が付きませんでした。")
                         % {"at": c["at"], "need": need})
        elif c["level"] != Need.Welfare.CRISIS:
            lines.append(_("危機介入の世帯（%(at)s、%(need)s）が「見守り」にとどまりました。") % {"at": c["at"], "need": need})
        elif c["flag"].scenario > SLOW_FLAG:
            lines.append(_("危機介入の世帯（%(at)s、%(need)s）の区分まで%(min)d分（訓練時間）かかりました。")
                         % {"at": c["at"], "need": need, "min": c["flag"].scenario})
    for t in teams:
        if not t["noticed_at"]:
            lines.append(_("%(team)sは帰着予定を%(min)d分（訓練時間）過ぎても、誰も連絡していません。")
                         % {"team": t["team"].label, "min": t["until_noticed"].scenario})
        elif t["until_noticed"].scenario > SLOW_NOTICE:
            lines.append(_("%(team)sの帰着遅れに気づくまで%(min)d分（訓練時間）かかりました。")
                         % {"team": t["team"].label, "min": t["until_noticed"].scenario})
    missing = [c for c in calls if not c["intake"]]
    if missing:
        lines.append(_("%(n)d件の依頼がニーズとして受け付けられていません（%(at)s）。")
                     % {"n": len(missing), "at": _("、").join(c["at"] for c in missing)})
    slow = [c for c in calls if c["intake"] and c["intake"].scenario > SLOW_INTAKE]
    if slow:
        lines.append(_("%(n)d件の依頼で、受付まで%(limit)d分（訓練時間）を超えました（最長%(max)d分）。")
                     % {"n": len(slow), "limit": SLOW_INTAKE, "max": max(c["intake"].scenario for c in slow)})
    waiting = [v for v in volunteers if v["outcome"] == "waiting"]
    if waiting:
        lines.append(_("終了時点で%(n)d人のボランティアが班に入らずに待っていました。")
                     % {"n": sum(v["heads"] for v in waiting)})
    long = [v for v in volunteers if v["outcome"] != "waiting" and v["wait"].scenario > LONG_WAIT]
    if long:
        lines.append(_("%(n)d人のボランティアが班に入るまで%(limit)d分（訓練時間）を超えて待ちました。")
                     % {"n": sum(v["heads"] for v in long), "limit": LONG_WAIT})
    return lines
