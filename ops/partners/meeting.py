"""情報共有会議 (the council, the city and the organisations around one table): the sheet they go through.

`sheet(centre)` gathers, once, what the page, the XLSX and the PDF show, so the three read the same: the open
technical needs by district and by organisation, what changed since the last meeting, and what is blocked.
Counts are ops.partners.figures' (the one home of the technical figures); the rows name a need by its label
and district only, never the resident, and carry no free text (notes and reasons are the registry's FREE_TEXT).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.needs.transitions import OPEN as NEED_OPEN
from ops.partners import figures
from ops.partners.models import Capability, Meeting, Organisation, PartnerJob, PartnerJobChange

S = PartnerJob.Status
UNANSWERED_AFTER = timedelta(days=2)  # a job offered and not answered this long is chased at the meeting
WAITING_AFTER = timedelta(days=3)  # a need waiting for an organisation this long is raised at the meeting
STUCK_OUTCOMES = frozenset({PartnerJob.Outcome.PARTLY, PartnerJob.Outcome.COULD_NOT})


@dataclass(frozen=True)
class Row:
    """One line of the sheet: a need (label and district, no resident) and, when there is one, the job."""

    need: str
    district: str
    work: str
    organisation: str
    status: str
    scheduled_for: date | None = None
    at: datetime | None = None  # when it happened / since when (the changes and blocked sections)
    reason: str = ""  # why it is listed (blocked section)

    def cells(self) -> list:
        return [self.need, self.district, self.work, self.organisation, self.status, self.scheduled_for or ""]


def sheet(centre, *, since: datetime | None = None, now: datetime | None = None) -> dict:
    """Everything the 情報共有会議 sheet shows. `since`: the start of "changed since" (the latest meeting's
    time when not given; everything when no meeting was recorded)."""
    now = now or timezone.now()
    last = Meeting.objects.filter(centre=centre).first()
    if since is None and last is not None:
        since = last.held_at
    needs = list(figures.technical_needs(centre).prefetch_related("work_types").order_by("number"))
    jobs = list(PartnerJob.objects.filter(centre=centre).select_related("organisation", "work_type", "need")
                .order_by("offered_at", "id"))
    jobs_of = defaultdict(list)
    for job in jobs:
        jobs_of[job.need_id].append(job)
    waiting_ids = set(figures.waiting_needs(centre).values_list("pk", flat=True))
    open_rows = _open_rows(needs, jobs_of, waiting_ids)
    result = {
        "centre": centre,
        "now": now,
        "since": since,
        "last_meeting": last,
        "summary": figures.summary(centre, centre.day_of(now)),
        "open_rows": open_rows,
        "by_district": _by_district(centre, open_rows),
        "by_organisation": _by_organisation(centre, open_rows),
        "changes": _changes(centre, since),
        "new_needs": [_need_row(n, jobs_of[n.pk], waiting=n.pk in waiting_ids) for n in needs
                      if since is None or n.received_at > since],
        "blocked": _blocked(centre, needs, jobs, jobs_of, waiting_ids, now),
    }
    result["blocked_sections"] = blocked_sections(result)
    return result


def headers() -> list[str]:
    return [_("ニーズ番号"), _("地区"), _("作業"), _("協力団体"), _("状況"), _("対応予定日")]


def blocked_sections(s: dict) -> list[tuple[str, list]]:
    b = s["blocked"]
    return [(_("対応できる団体がない"), b["no_organisation"]),
            (_("依頼して%(n)d日以上回答がない") % {"n": UNANSWERED_AFTER.days}, b["unanswered"]),
            (_("辞退・一部完了・対応できず（引き継ぎ先なし）"), b["uncovered"]),
            (_("%(n)d日以上 団体待ち") % {"n": WAITING_AFTER.days}, b["waiting_long"])]


def waiting_label() -> str:
    return _("団体待ち")


# --- open technical needs -------------------------------------------------------------------------------------

def _work(need) -> str:
    """The need's work as the sheet names it: its work types, specialist work first."""
    types = sorted(need.work_types.all(), key=lambda wt: (not wt.specialist_only, wt.order, wt.pk))
    return _("、").join(str(wt) for wt in types)


def _job_row(job, *, at=None, status=None, reason="") -> Row:
    need = job.need
    return Row(need=need.label, district=need.district, work=job.work_label(), organisation=job.organisation.name,
               status=status or job.get_status_display(), scheduled_for=job.scheduled_for, at=at, reason=reason)


def _need_row(need, jobs, *, waiting: bool, at=None, reason="") -> Row:
    if not waiting:
        open_jobs = [j for j in jobs if j.is_open]
        if open_jobs:
            return _job_row(open_jobs[0], at=at, reason=reason)
    return Row(need=need.label, district=need.district, work=_work(need), organisation="", status=waiting_label(),
               at=at, reason=reason)


def _open_rows(needs, jobs_of, waiting_ids) -> list[Row]:
    """Each open technical need: one row per open job, or one row 団体待ち when no organisation has it."""
    rows = []
    for need in needs:
        open_jobs = [j for j in jobs_of[need.pk] if j.is_open]
        if need.pk in waiting_ids or not open_jobs:
            rows.append(_need_row(need, [], waiting=True))
        rows += [_job_row(j) for j in open_jobs]
    return rows


def _by_district(centre, open_rows) -> list[dict]:
    rows = defaultdict(list)
    for row in open_rows:
        rows[row.district].append(row)
    return [{**counts, "rows": rows.get(counts["district"], [])} for counts in figures.by_district(centre)]


def _by_organisation(centre, open_rows) -> list[dict]:
    rows = defaultdict(list)
    for row in open_rows:
        if row.organisation:
            rows[row.organisation].append(row)
    return [{**counts, "rows": rows.get(counts["organisation"], [])}
            for counts in figures.by_organisation(centre) if counts["open"] or rows.get(counts["organisation"])]


# --- changed since the last meeting -----------------------------------------------------------------------------

def _changes(centre, since) -> list[Row]:
    history = (PartnerJobChange.objects.filter(job__centre=centre)
               .select_related("job__need", "job__organisation", "job__work_type").order_by("at", "id"))
    if since is not None:
        history = history.filter(at__gt=since)
    rows = []
    for change in history:
        moved = S(change.to_status).label
        if change.from_status:
            moved = _("%(from)s → %(to)s") % {"from": S(change.from_status).label, "to": moved}
        rows.append(_job_row(change.job, at=change.at, status=moved))
    return rows


# --- blocked -----------------------------------------------------------------------------------------------------

def _blocked(centre, needs, jobs, jobs_of, waiting_ids, now) -> dict:
    able = set()
    orgs = list(Organisation.objects.filter(centre=centre, active=True))
    for org in orgs:
        able.update(org.capabilities or [])
    last_change = dict(PartnerJobChange.objects.filter(job__centre=centre).values_list("job__need_id").order_by()
                       .annotate(at=Max("at")))
    no_one, waiting_long = [], []
    for need in needs:
        if need.pk not in waiting_ids:
            continue
        missing = _missing_capabilities(need, jobs_of[need.pk], able, any_org=bool(orgs))
        if missing is not None:
            no_one.append(_need_row(need, [], waiting=True, reason=missing))
        since = max(filter(None, (need.received_at, last_change.get(need.pk))))
        if now - since > WAITING_AFTER:
            days = (now - since).days
            waiting_long.append(_need_row(need, [], waiting=True, at=since,
                                          reason=_("%(n)d日間 団体待ち") % {"n": days}))
    unanswered = [_job_row(j, at=j.offered_at, reason=_("%(n)d日間 回答なし") % {"n": (now - j.offered_at).days})
                  for j in jobs if j.status == S.OFFERED and now - j.offered_at > UNANSWERED_AFTER]
    return {
        "no_organisation": no_one,
        "unanswered": unanswered,
        "uncovered": _uncovered(jobs, jobs_of),
        "waiting_long": waiting_long,
    }


def _missing_capabilities(need, jobs, able: set, *, any_org: bool) -> str | None:
    """Why no active organisation can take the need's work (the capabilities none has), or None."""
    wanted = []
    for wt in need.work_types.all():
        if wt.capability and not any(_covers(j, wt.pk) for j in jobs) and wt.capability not in wanted:
            wanted.append(wt.capability)
    if not wanted:
        return None if any_org else str(_("活動中の協力団体がありません"))
    missing = [c for c in wanted if c not in able]
    if not missing:
        return None
    labels = _("、").join(str(Capability(c).label) if c in Capability.values else c for c in missing)
    return _("「%(caps)s」に対応できる団体がありません") % {"caps": labels}


def _covers(job, work_type_id) -> bool:
    """PartnerJob.objects.covering's rule, on jobs already read."""
    taken = job.is_open or (job.status == S.DONE and job.outcome == PartnerJob.Outcome.DONE)
    return taken and (job.work_type_id is None or job.work_type_id == work_type_id)


def _uncovered(jobs, jobs_of) -> list[Row]:
    """Declined jobs, and jobs done partly or not at all, whose work no other job now covers (the latest such
    job per need and work), on needs still open."""
    latest = {}
    for job in jobs:  # oldest first: a later job for the same work replaces an earlier one
        stuck = job.status == S.DECLINED or (job.status == S.DONE and job.outcome in STUCK_OUTCOMES)
        if stuck and job.need.status in NEED_OPEN:
            latest[(job.need_id, job.work_type_id)] = job
    rows = []
    for job in latest.values():
        others = [j for j in jobs_of[job.need_id] if j.pk != job.pk]
        if job.work_type_id is None:
            covered = any(j.is_open or _covers(j, None) for j in others)
        else:
            covered = any(_covers(j, job.work_type_id) for j in others)
        if not covered:
            when = job.responded_at if job.status == S.DECLINED else job.done_at
            reason = (_("辞退") if job.status == S.DECLINED else str(PartnerJob.Outcome(job.outcome).label))
            rows.append(_job_row(job, at=when, reason=reason))
    return sorted(rows, key=lambda r: (r.at or timezone.now(), r.need))
