"""Words the boards show, in the viewer's language: server-rendered pages use them directly and pass the
same maps to the scripts (json_script), so the live updates read exactly like the first render."""
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ops.centres.models import DEFAULT_TIMEZONE, Base, Centre, Suspension
from ops.dispatch.models import Team
from ops.events import KINDS
from ops.needs.models import NeedStatus
from ops.partners.models import PartnerJob
from ops.volunteers.models import HEADS

VOLUNTEER_COUNTS = HEADS  # volunteers today and its parts: the same keys and words as reception's


def _choices(choices) -> dict:
    return {value: str(label) for value, label in choices}


def staff_labels() -> dict:
    return {
        "need_status": _choices(NeedStatus.choices),
        "team_status": _choices(Team.Status.choices),
        "kinds": {k: str(v) for k, v in KINDS.items()},
        "volunteers": {k: str(v) for k, v in VOLUNTEER_COUNTS.items()},
        "overdue": _("帰着予定超過"),
        "contacted": _("連絡済み"),
        "contact": _("連絡済みにする"),
        "people": pgettext("unit after a number", "人"),
        "suspension": suspension_labels(),
        "partner_status": _choices(PartnerJob.Status.choices),
        **socket_states(),
    }


# 技術系 (三者連携): the staff board's figures of ops.partners.figures.summary, by its keys, in this order.
def partner_figure_labels() -> dict:
    return {"waiting": _("協力団体待ち"), "open": _("依頼中（未完了）"), "done_today": _("本日対応済")}


def partner_rows(partners: dict) -> list[tuple]:
    figures = partners["figures"]
    return [(key, label, figures.get(key, 0)) for key, label in partner_figure_labels().items()]


def socket_states() -> dict:
    """The live-board states board.js reports (onStatus), in words; the 44xx ones stop the retries."""
    return {
        "live": _("ライブ更新中"),
        "reconnecting": _("再接続中…"),
        "syncing": _("同期中…"),
        "stalled": _("受信が途絶えたため再同期中…"),
        "busy": _("サーバーが混み合っています。しばらくして再接続します…"),
        "logged_out": _("ログアウトしたため更新を止めました。ログインし直してください。"),
        "forbidden": _("このボードを見る権限がないため更新を止めました。"),
        "unknown_centre": _("このセンターは見つかりません。更新を止めました。"),
    }


def staff_count_rows(counts: dict) -> list[dict]:
    """The counts as titled groups, in the order the board shows them."""
    return [
        {"key": "volunteers", "title": _("ボランティア"),
         "items": [(k, VOLUNTEER_COUNTS[k], counts["volunteers"].get(k, 0)) for k in VOLUNTEER_COUNTS]},
        {"key": "needs", "title": _("ニーズ"),
         "items": [(v, label, counts["needs"].get(v, 0)) for v, label in NeedStatus.choices]},
        {"key": "teams", "title": pgettext("count group", "班"),
         "items": [(v, label, counts["teams"].get(v, 0)) for v, label in Team.Status.choices]},
    ]


def feed_line(event: dict, tz: ZoneInfo | None = None) -> dict:
    """'10:32 送り出し T-03 N-0042': the kind and the labels of what it touched, never more."""
    data = event.get("data") or {}
    tags = [data[k]["label"] for k in ("team", "need") if isinstance(data.get(k), dict) and data[k].get("label")]
    job = data.get("job")
    if isinstance(job, dict) and job.get("organisation"):  # partner.changed: the organisation and the job's step
        tags.append(f'{job["organisation"]} {_choices(PartnerJob.Status.choices).get(job.get("status"), "")}'.strip())
    at = datetime.fromisoformat(event["at"]).astimezone(tz or ZoneInfo(DEFAULT_TIMEZONE))
    return {"seq": event["seq"], "at": at.strftime("%H:%M"), "kind": str(KINDS.get(event["kind"], event["kind"])),
            "tags": " ".join(tags)}


def feed_lines(events) -> list[dict]:
    return [feed_line(e) for e in events]


def public_info(centre: dict) -> dict:
    """Display words for the centre's public codes (also in the public JSON, for other sites)."""
    return {
        "status": str(Centre.Status(centre["status"]).label),
        "recruitment_status": str(Centre.Recruitment(centre["recruitment_status"]).label),
        "recruitment_scope": str(Centre.Scope(centre["recruitment_scope"]).label),
    }


def suspension_labels() -> dict:
    """The words of the 活動中止 banner and the slip's return call; suspension.js builds the same lines."""
    return {
        "title": _("活動中止"),
        "whole_day": _("終日"),
        "from": _("%(time)sから"),
        "reasons": _choices(Suspension.Reason.choices),
        "call": _("ただちに作業を切り上げ、安全を確保してセンターへ戻ってください。"),
    }


def suspension_lines(suspensions: list[dict], *, day: str | None = None) -> list[dict]:
    """The centre state's suspensions (Suspension.public_state) as the banner shows them: of `day` only when
    given (a slip: its dispatch's day)."""
    words = suspension_labels()
    lines = []
    for s in suspensions or []:
        if day is not None and s["date"] != day:
            continue
        when = words["whole_day"] if not s.get("starts_at") else words["from"] % {"time": s["starts_at"]}
        lines.append({**s, "when": when, "reason_label": words["reasons"].get(s["reason"], s["reason"]),
                      "day": datetime.fromisoformat(s["date"]).date()})
    return lines


# The public board's information blocks, each with the public groups (ops.centres.public.GROUPS) whose latest
# change it shows as its own 「12/7 9:05 更新」; public.js reads the same map from the labels.
PUBLIC_BLOCKS = {
    "message": ("message",),
    "recruitment": ("recruitment", "days"),
    "work_today": ("work_today",),
    "tomorrow": ("tomorrow",),
    "contact": ("phone", "address", "hours", "return_deadline"),
    "links": ("links", "insurance_signup_url"),
    "bases": ("bases",),
    "what_to_bring": ("what_to_bring",),
    "notices": ("notices",),
}


def short_time(iso: str | None, tz_name: str) -> str:
    """'12/7 9:05' on the centre's clock (public.js writes the same)."""
    if not iso:
        return ""
    at = datetime.fromisoformat(iso).astimezone(ZoneInfo(tz_name or DEFAULT_TIMEZONE))
    return f"{at.month}/{at.day} {at.hour}:{at.minute:02d}"


def block_changes(changed: dict, tz_name: str) -> dict:
    """{block: {"at": ISO, "text": "12/7 9:05 更新"}}: each block's latest change of its groups."""
    out = {}
    for block, groups in PUBLIC_BLOCKS.items():
        at = max((changed.get(g) for g in groups if changed.get(g)), default=None)
        out[block] = {"at": at or "", "text": _("%(time)s 更新") % {"time": short_time(at, tz_name)} if at else ""}
    return out


def public_labels() -> dict:
    return {
        "blocks": PUBLIC_BLOCKS,
        "changed": _("%(time)s 更新"),
        "book": pgettext("booking link of a day", "予約"),
        "book_day": _("%(day)sの予約"),
        "offered": _("この日は県の受付窓口からの応募で決まります"),
        "base_kind": _choices(Base.Kind.choices),
        "suspension": suspension_labels(),
        "status": _choices(Centre.Status.choices),
        "recruitment_status": _choices(Centre.Recruitment.choices),
        "recruitment_scope": _choices(Centre.Scope.choices),
        **socket_states(),
        "full": _("満員"),
        "closed_day": _("休止日"),
        "people": pgettext("unit after a number", "人"),
        "volunteers_today": str(HEADS["checked_in"]),
    }


def team_rows(teams: list[dict], needs: list[dict], tz_name: str) -> list[dict]:
    """Today's teams for the server-rendered table (staff.js renders the same columns)."""
    tz = ZoneInfo(tz_name or DEFAULT_TIMEZONE)
    need_labels = {n["id"]: n["label"] for n in needs}
    statuses = _choices(Team.Status.choices)
    rows = []
    for t in teams:
        if t["status"] == Team.Status.DISBANDED:
            continue
        due, contacted = t.get("expected_return_at"), t.get("contacted_at")
        rows.append({**t, "status_label": statuses.get(t["status"], t["status"]),
                     "need_label": need_labels.get(t.get("need_id"), ""),
                     "due": datetime.fromisoformat(due).astimezone(tz).strftime("%H:%M") if due else "",
                     "contacted": (datetime.fromisoformat(contacted).astimezone(tz).strftime("%H:%M")
                                   if contacted else "")})
    return rows
