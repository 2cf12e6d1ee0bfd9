"""送り出し: sending a ready team to a need, and taking a mistaken dispatch back. Who may leave for what ("a
team is on one need at a time", "a need is not dispatched past its demand", "nobody leaves after the latest
return time", "specialist work only with a member who has the skill") lives here, in `dispatch_refusal`, and nowhere else: the service and every hint ask it.

Two coordinators may press the button at the same moment. On PostgreSQL the team and the need rows are
locked (SELECT ... FOR UPDATE, team first, then need) and every check is made under those locks; the
partial unique index dispatch_one_active_per_team is the last line. On SQLite the IMMEDIATE transaction
mode takes the write lock at BEGIN, so writers run one at a time and the same checks hold.
"""
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ops import audit
from ops.centres.models import Centre, Suspension
from ops.dispatch.errors import DispatchRefused
from ops.dispatch.models import Dispatch, Team
from ops.dispatch.state import team_people, team_skills, team_state
from ops.dispatch.transitions import IN_FIELD, change_team_status
from ops.events import emit
from ops.needs.models import Need, NeedStatus, NeedStatusChange
from ops.needs.state import need_state
from ops.needs.transitions import DISPATCHABLE, change_status

TEAM_BUSY = gettext_lazy("この班はすでに別のニーズに送り出されています。")


def day_refusal(centre: Centre, *, at: datetime) -> str | None:
    """Why nobody can leave at `at` at all: past the day's latest return time (帰着期限) every team would be
    due back before it left; while activity is suspended (活動中止, ops.centres.suspension) nobody leaves either.
    The board and the teams page say it before anyone picks a team."""
    suspension = Suspension.objects.in_force(centre, at)
    if suspension is not None:
        return _("活動中止中（%(reason)s）のため、送り出せません。") % {"reason": suspension.get_reason_display()}
    if at >= centre.latest_return_at(centre.day_of(at)):
        return _("本日の帰着期限（%(time)s）を過ぎているため、送り出せません。") % {
            "time": time_format(centre.latest_return_time, "H:i")}
    return None


def team_refusal(team: Team, *, at: datetime, people: int | None = None) -> str | None:
    """Why `team` cannot leave at `at` for any need, or None. `people`: its head count, when already read."""
    refusal = day_refusal(team.centre, at=at)
    if refusal:
        return refusal
    if team.date != team.centre.day_of(at):
        return _("この班は今日の班ではありません。")
    if team.status in IN_FIELD or team.active_dispatch is not None:
        return str(TEAM_BUSY)
    if team.status != Team.Status.READY:
        return _("%(team)sは待機中ではありません（現在：%(status)s）。") % {
            "team": team.label, "status": team.get_status_display()}
    if (team_people(team) if people is None else people) == 0:
        return _("%(team)sには活動できるメンバーがいません。") % {"team": team.label}
    return None


def need_refusal(need: Need, *, already: int | None = None, team: Team | None = None,
                 people: int = 1) -> str | None:
    """Why `team` (of `people`), or any team when None, cannot be sent to `need`, or None. `already`: people
    on the need now, when already read."""
    if need.status not in DISPATCHABLE:
        return _("%(need)sは送り出しできる状況ではありません（現在：%(status)s）。") % {
            "need": need.label, "status": NeedStatus(need.status).label}
    already = need.dispatches.active().people() if already is None else already
    if already + people > need.people_needed:
        full = _("%(need)sの必要人数は%(needed)d人で、すでに%(already)d人が向かっています。") % {
            "need": need.label, "needed": need.people_needed, "already": already}
        if team is None:
            return full
        return full + _("%(team)s（%(people)d人）は送り出せません。") % {"team": team.label, "people": people}
    return None


def skill_refusal(team: Team | None, need: Need, *, skills: frozenset[str] | None = None,
                  work: list | None = None) -> str | None:
    """Why `team` (None: people not yet a team, whose `skills` are given) may not do the need's specialist-only work (屋根, チェーンソー, 重機 ...), or None: each such work
    type no partner organisation has taken needs a member still at work who declared its skill. `skills`:
    the team's skills, `work`: need.specialist_work(), when already read (a card asks for every ready team)."""
    work = need.specialist_work() if work is None else work
    if not work:
        return None
    skills = team_skills(team) if skills is None else skills
    for wt in work:
        if not wt.required_skill:
            return _("%(need)sの「%(work)s」は専門ボランティアのみの作業です。協力団体に依頼してください。") % {
                "need": need.label, "work": wt}
        if wt.required_skill not in skills:
            if team is None:  # a team still being scanned at a desk (ops.desk): who may yet join it
                return _("%(need)sの「%(work)s」には「%(skill)s」の技能を持つメンバーが必要です。") % {
                    "need": need.label, "work": wt, "skill": wt.skill_label()}
            return _("%(need)sの「%(work)s」には「%(skill)s」の技能を持つメンバーが必要です。%(team)sにはいません。") % {
                "need": need.label, "work": wt, "skill": wt.skill_label(), "team": team.label}
    return None


def dispatch_refusal(team: Team, need: Need, *, at: datetime, people: int | None = None,
                     already: int | None = None, work: list | None = None) -> str | None:
    """Why `team` cannot be sent to `need` at `at`, or None when it can: the one rule of who may leave for
    what. `dispatch` asks it under its locks; the map board's need card and hint and the teams page ask it
    too, so what they say before the button is what the server says after it."""
    if need.centre_id != team.centre_id:
        return _("別のセンターのニーズには送り出せません。")
    people = team_people(team) if people is None else people
    return (team_refusal(team, at=at, people=people)
            or need_refusal(need, already=already, team=team, people=people)
            or skill_refusal(team, need, work=work))


def dispatch(team: Team, need: Need, *, by=None, return_by: datetime | None = None,
             at: datetime | None = None) -> Dispatch:
    """Send `team` to `need` now (or `at`, for a dispatch entered after the fact) and return the Dispatch.

    `dispatch_refusal` decides whether it may leave; the team is due back at `return_by`, never later than
    the centre's latest return time that day. Raises DispatchRefused with a message for the coordinator.
    """
    at = at or timezone.now()
    try:
        with transaction.atomic(), audit.operation("dispatch.created", by=by):
            return _dispatch_locked(team, need, by=by, return_by=return_by, at=at)
    except IntegrityError as err:
        # The partial unique index caught a second active dispatch that slipped past the checks.
        raise DispatchRefused(TEAM_BUSY) from err


def _dispatch_locked(team, need, *, by, return_by, at) -> Dispatch:
    team = Team.objects.select_for_update(of=("self",)).select_related("centre").filter(pk=team.pk).first()
    need = Need.objects.select_for_update().filter(pk=need.pk).first()
    if team is None or need is None:
        raise DispatchRefused(_("班またはニーズが見つかりません。"))
    centre = team.centre
    people = team_people(team)
    refusal = dispatch_refusal(team, need, at=at, people=people)
    if refusal:
        raise DispatchRefused(refusal)
    deadline = centre.latest_return_at(centre.day_of(at))
    due = min(return_by, deadline) if return_by else deadline
    if due <= at:
        raise DispatchRefused(_("帰着予定は出発より後の時刻にしてください。"))

    if need.status in (NeedStatus.READY, NeedStatus.CONTINUING):
        change_status(need, NeedStatus.ASSIGNED, by=by, reason=team.label)
    record = Dispatch.objects.create(centre=centre, team=team, need=need, date=team.date, people=people,
                                     dispatched_at=at, dispatched_by=by if _is_user(by) else None,
                                     expected_return_at=due)
    change_team_status(team, Team.Status.DISPATCHED, expected_return_at=due)
    event = emit(centre, "dispatch.created", {"team": team_state(team, need_id=need.pk), "need": need_state(need),
                                              "dispatch": {"id": record.pk, "people": people}},
                 locked_read=Suspension.locked_read(centre, team.date))
    if Suspension.stops_in_row(event.locked_row, centre.local(at).time()):  # suspended while we waited
        raise DispatchRefused(day_refusal(Centre.objects.get(pk=centre.pk), at=at)
                              or _("活動中止中のため、送り出せません。"))
    return record


def cancel_dispatch(record: Dispatch, *, by=None, reason: str = "") -> Dispatch:
    """送り出し取消: take back a dispatch made by mistake (wrong team or need, the resident called off the
    visit) before the team starts work. The team waits again with its tools, the need goes back to what it
    was before this team was sent (ready or continuing) unless another team is still on it, and the dispatch
    stays on record as cancelled: it counts nowhere (daily report, demand) and its slip link is dead.

    A team already on site has started: its leader files a report ("could not work" if so) instead.
    Locks in the order of the return report (team, need, dispatch), so the two never deadlock, and the one
    that comes second finds the dispatch no longer active.
    """
    with transaction.atomic(), audit.operation("dispatch.cancelled", by=by):
        team = Team.objects.select_for_update().get(pk=record.team_id)
        need = Need.objects.select_for_update().get(pk=record.need_id)
        record = Dispatch.objects.select_for_update(of=("self",)).select_related("centre").get(pk=record.pk)
        if record.status != Dispatch.Status.ACTIVE:
            raise DispatchRefused(_("この送り出しは帰着済みか取消済みのため、取り消せません。"))
        if team.status == Team.Status.ON_SITE:
            raise DispatchRefused(_("%(team)sは現地で活動を始めています。取り消さずに活動報告"
                                    "（活動できず）を入力してください。") % {"team": team.label})
        reason = reason.strip()[:300]
        others = need.dispatches.active().exclude(pk=record.pk)
        if need.status == NeedStatus.ASSIGNED and not others.exists():
            # Like the dispatch's own history line, the team and the coordinator's words, never text translated
            # into whichever language this coordinator happens to use: the history is read in both.
            change_status(need, _status_before_assigned(need), by=by if _is_user(by) else None,
                          reason=f"{team.label}: {reason}"[:300] if reason else team.label)
        record.status = Dispatch.Status.CANCELLED
        record.cancelled_at = timezone.now()
        record.cancel_reason = reason
        record.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        change_team_status(team, Team.Status.READY, expected_return_at=None)
        emit(record.centre, "dispatch.cancelled", {"team": team_state(team), "need": need_state(need),
                                                   "dispatch": {"id": record.pk}})
    return record


def _status_before_assigned(need: Need) -> str:
    """Ready, or continuing for a need already worked on an earlier day (the status it was sent from)."""
    last = (NeedStatusChange.objects.filter(need=need, to_status=NeedStatus.ASSIGNED)
            .order_by("-at", "-id").values_list("from_status", flat=True).first())
    return NeedStatus.CONTINUING if last == NeedStatus.CONTINUING else NeedStatus.READY


def _is_user(by) -> bool:
    return by is not None and getattr(by, "is_authenticated", False)
