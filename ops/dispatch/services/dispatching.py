"""送り出し: sending a ready team to a need, and taking a mistaken dispatch back. The rules "a team is on one
need at a time" and "a need is not dispatched past its demand" live here, in `dispatch`, and nowhere else.

Two coordinators may press the button at the same moment. On PostgreSQL the team and the need rows are
locked (SELECT ... FOR UPDATE, team first, then need) and every check is made under those locks; the
partial unique index dispatch_one_active_per_team is the last line. On SQLite the IMMEDIATE transaction
mode takes the write lock at BEGIN, so writers run one at a time and the same checks hold.
"""
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ops import audit
from ops.dispatch.errors import DispatchRefused
from ops.dispatch.models import Dispatch, Team
from ops.dispatch.state import team_people, team_state
from ops.events import emit
from ops.needs.models import Need, NeedStatus, NeedStatusChange
from ops.needs.state import need_state
from ops.needs.transitions import DISPATCHABLE, change_status

TEAM_BUSY = gettext_lazy("この班はすでに別のニーズに送り出されています。")


def active_people(need) -> int:
    """People already sent to the need and not yet back."""
    return (Dispatch.objects.filter(need=need, status=Dispatch.Status.ACTIVE)
            .aggregate(n=Sum("people"))["n"] or 0)


def dispatch(team: Team, need: Need, *, by=None, return_by: datetime | None = None,
             at: datetime | None = None) -> Dispatch:
    """Send `team` to `need` now (or `at`, for a dispatch entered after the fact) and return the Dispatch.

    The team must be ready and on no other active dispatch; the need must be dispatchable and still have
    room for the whole team. The team is due back at `return_by`, never later than the centre's latest
    return time that day. Raises DispatchRefused with a message for the coordinator otherwise.
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
    if need.centre_id != centre.pk:
        raise DispatchRefused(_("別のセンターのニーズには送り出せません。"))

    today = centre.day_of(at)
    if team.date != today:
        raise DispatchRefused(_("この班は今日の班ではありません。"))
    if Dispatch.objects.filter(team=team, status=Dispatch.Status.ACTIVE).exists() or team.status in (
            Team.Status.DISPATCHED, Team.Status.ON_SITE):
        raise DispatchRefused(TEAM_BUSY)
    if team.status != Team.Status.READY:
        raise DispatchRefused(_("%(team)sは待機中ではありません（現在：%(status)s）。")
                              % {"team": team.label, "status": team.get_status_display()})
    people = team_people(team)
    if people == 0:
        raise DispatchRefused(_("%(team)sには活動できるメンバーがいません。") % {"team": team.label})

    if need.status not in DISPATCHABLE:
        raise DispatchRefused(_("%(need)sは送り出しできる状況ではありません（現在：%(status)s）。")
                              % {"need": need.label, "status": NeedStatus(need.status).label})
    already = active_people(need)
    if already + people > need.people_needed:
        raise DispatchRefused(
            _("%(need)sの必要人数は%(needed)d人で、すでに%(already)d人が向かっています。"
              "%(team)s（%(people)d人）は送り出せません。")
            % {"need": need.label, "needed": need.people_needed, "already": already, "team": team.label,
               "people": people})

    deadline = centre.latest_return_at(today)
    if at >= deadline:
        raise DispatchRefused(_("本日の帰着期限（%(time)s）を過ぎているため、送り出せません。")
                              % {"time": time_format(centre.latest_return_time, "H:i")})
    due = min(return_by, deadline) if return_by else deadline
    if due <= at:
        raise DispatchRefused(_("帰着予定は出発より後の時刻にしてください。"))

    if need.status in (NeedStatus.READY, NeedStatus.CONTINUING):
        change_status(need, NeedStatus.ASSIGNED, by=by, reason=team.label)
    record = Dispatch.objects.create(centre=centre, team=team, need=need, date=today, people=people,
                                     dispatched_at=at, dispatched_by=by if _is_user(by) else None,
                                     expected_return_at=due)
    team.status = Team.Status.DISPATCHED
    team.expected_return_at = due
    team.version += 1
    team.save(update_fields=["status", "expected_return_at", "version"])
    emit(centre, "dispatch.created", {"team": team_state(team, need_id=need.pk), "need": need_state(need),
                                      "dispatch": {"id": record.pk, "people": people}})
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
        others = Dispatch.objects.filter(need=need, status=Dispatch.Status.ACTIVE).exclude(pk=record.pk)
        if need.status == NeedStatus.ASSIGNED and not others.exists():
            # Like the dispatch's own history line, the team and the coordinator's words, never text translated
            # into whichever language this coordinator happens to use: the history is read in both.
            change_status(need, _status_before_assigned(need), by=by if _is_user(by) else None,
                          reason=f"{team.label}: {reason}"[:300] if reason else team.label)
        record.status = Dispatch.Status.CANCELLED
        record.cancelled_at = timezone.now()
        record.cancel_reason = reason
        record.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        team.status = Team.Status.READY
        team.expected_return_at = None
        team.version += 1
        team.save(update_fields=["status", "expected_return_at", "version"])
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
