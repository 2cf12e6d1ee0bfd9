"""活動報告: a team comes back. The need's status, the team and the leader's slip link all follow from one
report in one transaction. The report's hours are the team's work on the need and stay on the report
(ReturnReport.hours); the volunteers' own hours at the centre are check-out's (Attendance.hours). Lent tools
come back at the centre's tool desk (services.equipment.return_tools); only staff filing the report there
may record them back with it."""
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.dispatch.errors import ReportRefused
from ops.dispatch.models import Dispatch, EquipmentLoan, ReturnReport, Team
from ops.dispatch.state import team_state
from ops.dispatch.transitions import change_team_status
from ops.events import emit
from ops.needs.models import Need, NeedStatus
from ops.needs.state import need_state
from ops.needs.transitions import change_status
from ops.welfare.services import WelfareError, raise_concern

S = NeedStatus
Outcome = ReturnReport.Outcome
MAX_HOURS = Decimal("12")


def slip_refusal(dispatch: Dispatch, *, typed_at: datetime | None = None) -> str | None:
    """Why the leader's slip link no longer works, or None while it does (the day of the dispatch, until
    the report is filed; a report typed that day a little longer, see `late_report_accepted`)."""
    closed = slip_closed(dispatch, typed_at=typed_at)
    return closed[1] if closed else None


def slip_closed(dispatch: Dispatch, *, typed_at: datetime | None = None) -> tuple[str, str] | None:
    """(code, message) of slip_refusal: "cancelled", "already_filed" or "expired"."""
    if dispatch.status == Dispatch.Status.CANCELLED:
        return "cancelled", _("この送り出しは取り消されました。センターの指示に従ってください。")
    if dispatch.status != Dispatch.Status.ACTIVE:
        return "already_filed", _("この送り出し票の活動報告は提出済みです。このリンクはもう使えません。")
    today = dispatch.centre.today()
    if today != dispatch.date and not late_report_accepted(dispatch, typed_at=typed_at, today=today):
        return "expired", _("この送り出し票の有効期限（活動日の終わり）を過ぎました。センターに連絡してください。")
    return None


def late_report_accepted(dispatch: Dispatch, *, typed_at: datetime | None, today) -> bool:
    """A report typed on the dispatch's day (the leader pressed send at the site, with no signal) is taken
    until the end of the next day, though the slip page itself dies at midnight: what was typed in time is
    not lost to a phone that found a network late. `typed_at` is the phone's clock, already kept between
    the dispatch and now (ops.offline.keys.typed_at)."""
    return (typed_at is not None and dispatch.centre.day_of(typed_at) == dispatch.date
            and dispatch.date < today <= dispatch.date + timedelta(days=1))


def need_path(current: str, outcome: str, *, others_active: bool) -> list[str]:
    """The statuses the need passes through after this report, each step one row of the transition table.

    With other teams still on the need only "completed" closes it; their own reports decide the rest.
    A need in a status the field does not drive (cancelled, on hold, already completed) is left alone.
    """
    if outcome == Outcome.COMPLETED:
        return {S.ASSIGNED: [S.IN_PROGRESS, S.COMPLETED], S.IN_PROGRESS: [S.COMPLETED],
                S.CONTINUING: [S.COMPLETED]}.get(current, [])
    if outcome == Outcome.CONTINUE:
        if others_active:
            return [S.IN_PROGRESS] if current == S.ASSIGNED else []
        return {S.ASSIGNED: [S.IN_PROGRESS, S.CONTINUING], S.IN_PROGRESS: [S.CONTINUING]}.get(current, [])
    if others_active:
        return []
    return {S.ASSIGNED: [S.READY], S.IN_PROGRESS: [S.READY]}.get(current, [])


def _whole(value, label, *, low=0, high=None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ReportRefused(_("%(label)sは数字で入力してください。") % {"label": label}) from None
    if number < low or (high is not None and number > high):
        raise ReportRefused(_("%(label)sは%(low)d〜%(high)dで入力してください。")
                            % {"label": label, "low": low, "high": high})
    return number


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ReportRefused(_("作業時間は数字で入力してください（例：3.5）。")) from None
    if not Decimal("0") <= hours <= MAX_HOURS:
        raise ReportRefused(_("作業時間は0〜%(max)s時間で入力してください。") % {"max": MAX_HOURS})
    return hours


def file_return_report(dispatch: Dispatch, *, outcome: str, people, hours, work_done: str = "",
                       injuries=0, heat_illness=0, near_miss: str = "", tools_returned: bool = False,
                       concerns=(), concern_note: str = "", by=None, via: str = "staff",
                       typed_at: datetime | None = None) -> ReturnReport:
    """Record the report and bring everything it decides up to date; ReportRefused if it cannot be filed.

    `tools_returned` (staff only, ticked at the desk) closes the team's open loans; a report from the field
    (via="leader") never does: the leader's phone cannot know the tools are on the shelf. The report keeps
    whether every tool was back when it was filed.

    気になったこと (`concerns`, `concern_note`) are not kept on the report (coordinators read reports): they go
    to the welfare staff as a case on the need's household (ops.welfare.services.raise_concern), in this
    transaction, so a refused report opens nothing. `report.welfare_told` says only that they were passed on.

    `typed_at` (the leader's phone, when send was pressed) is kept on the report beside `filed_at` (when it
    arrived), and lets a report typed on the dispatch's day in after midnight (slip_refusal).
    """
    if outcome not in Outcome.values:
        raise ReportRefused(_("結果を選んでください。"))
    if via not in ("staff", "leader"):
        raise ReportRefused(_("不明な提出方法です。"))
    hours = _hours(hours)

    with transaction.atomic(), audit.operation("dispatch.returned") as operation:
        team = Team.objects.select_for_update().get(pk=dispatch.team_id)
        need = Need.objects.select_for_update().get(pk=dispatch.need_id)
        dispatch = Dispatch.objects.select_for_update(of=("self",)).select_related("centre").get(pk=dispatch.pk)
        if via == "leader":
            closed = slip_closed(dispatch, typed_at=typed_at)
            if closed:
                raise ReportRefused(closed[1], code=closed[0])
        elif dispatch.status == Dispatch.Status.CANCELLED:
            raise ReportRefused(_("この送り出しは取り消されています。"), code="cancelled")
        elif dispatch.status != Dispatch.Status.ACTIVE:
            raise ReportRefused(_("この送り出しの活動報告は提出済みです。"), code="already_filed")
        people = _whole(people, _("活動人数"), high=dispatch.people)
        injuries = _whole(injuries, _("けが人"), high=dispatch.people)
        heat_illness = _whole(heat_illness, _("熱中症"), high=dispatch.people)

        user = by if by is not None and getattr(by, "is_authenticated", False) else None
        tools_back_now = via == "staff" and bool(tools_returned)
        open_loans = list(EquipmentLoan.objects.select_for_update().filter(team=team).outstanding())
        report = ReturnReport.objects.create(
            dispatch=dispatch, outcome=outcome, people=people, hours=hours, work_done=work_done.strip(),
            injuries=injuries, heat_illness=heat_illness, near_miss=near_miss.strip(),
            tools_returned=tools_back_now or not open_loans, filed_by=user, filed_via=via, typed_at=typed_at)

        others = need.dispatches.active().exclude(pk=dispatch.pk)
        path = need_path(need.status, outcome, others_active=others.exists())
        actor = "" if user else f"leader:{team.label}"
        operation.act(by=user, actor=actor)
        for status in path:
            change_status(need, status, by=user, actor=actor,
                          reason=team.label)
        try:
            report.welfare_told = raise_concern(report, concerns=concerns, note=concern_note, by=user,
                                                actor=actor) is not None
        except WelfareError as err:
            raise ReportRefused(err.message) from None

        now = timezone.now()
        dispatch.status = Dispatch.Status.RETURNED  # this is also what kills the slip link
        dispatch.returned_at = now
        dispatch.save(update_fields=["status", "returned_at"])
        change_team_status(team, Team.Status.RETURNED)
        if tools_back_now:
            for loan in open_loans:
                loan.returned_quantity = loan.quantity
                loan.returned_at = now
                loan.save(update_fields=["returned_quantity", "returned_at"])

        completed = bool(path) and path[-1] == S.COMPLETED
        emit(dispatch.centre, "dispatch.returned", {
            "team": team_state(team), "need": need_state(need),
            "dispatch": {"id": dispatch.pk, "outcome": outcome, "people": people, "injuries": injuries,
                         "heat_illness": heat_illness, "near_miss": bool(report.near_miss)},
        }, public={"needs_completed": 1} if completed else None)
    return report
