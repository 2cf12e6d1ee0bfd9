"""Reads for the board: the need card (as the registry, ops.privacy, lets the role see it), filter choices, the
needs with no position and the board's search."""
import unicodedata

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.timezone import localtime

from mapping import feed
from ops.dispatch.selectors import ready_teams
from ops.dispatch.services import day_refusal, dispatch_refusal, need_refusal
from ops.needs.models import Need, NeedStatus, WorkType
from ops.needs.selectors import needs_list
from ops.partners.models import PartnerJob
from ops.partners.state import job_state
from ops.privacy import Sight

NEED = Need._meta.label


def need_card(need: Need, *, sight: Sight, at=None) -> dict:
    """What a coordinator sees on clicking a need: the fields `sight` shows, a rough position otherwise.

    `refusal` and `team_refusals` (per ready team id) are what the dispatch service would answer at `at`
    (now): the board's hint shows them, so it never says "ready" to a dispatch the server refuses.
    `partner_jobs` are the organisations the need (or a work type of it) went to, as boards know a job
    (ops.partners.state: the organisation's name, never its people, nor the job's notes); `specialist_work`
    the need's specialist-only work still for a team, with the skill a member needs for each.
    """
    at = at or timezone.now()
    active = list(need.dispatches.active().select_related("team"))
    on_site = sum(d.people for d in active)
    teams = ready_teams(need.centre, need.centre.day_of(at))
    specialist = need.specialist_work()  # read once for every team's refusal
    shown = sight.mask(need)
    card = {
        "id": need.pk, "label": need.label, "status": need.status, "status_label": str(NeedStatus(need.status).label),
        "district": need.district, "lat": shown.lat, "lng": shown.lng,
        "work_types": [str(wt) for wt in need.work_types.all()],
        "people_needed": need.people_needed, "days_needed": need.days_needed, "on_site": on_site,
        "room": max(need.people_needed - on_site, 0),
        "refusal": day_refusal(need.centre, at=at) or need_refusal(need, already=on_site),
        "team_refusals": {str(t.pk): dispatch_refusal(t, need, at=at, people=t.size or 0, already=on_site,
                                                      work=specialist) for t in teams},
        "tools": need.tools_needed, "vehicle": need.vehicle_needed, "hazards": shown.hazards,
        "description": shown.description, "priority": str(need.get_priority_display()),
        "welfare": str(need.get_welfare_display()) if need.welfare != Need.Welfare.NONE else "",
        "received_at": localtime(need.received_at).strftime("%Y-%m-%d %H:%M"), "version": need.version,
        "teams": [{"label": d.team.label, "people": d.people,
                   "due": time_format(localtime(d.expected_return_at), "H:i")} for d in active],
        "detail_url": _detail_url(need),
        "partner_jobs": partner_jobs(need),
        "specialist_work": [{"work": str(wt), "skill": wt.skill_label() if wt.required_skill else ""}
                            for wt in specialist],
        "personal": {"name": shown.requester_name, "kana": shown.requester_kana, "phone": shown.phone,
                     "address": shown.address},
    }
    # card keys named otherwise than the need's field they show: left out when the role does not get that field
    from_field = {"hazards": "hazards", "description": "description", "welfare": "welfare", "personal": "requester_name"}
    return {key: value for key, value in card.items() if key not in from_field or sight.given(NEED, from_field[key])}


# An open job's mark on the board's pins and lists: the furthest along of a need's open jobs.
OPEN_ORDER = (PartnerJob.Status.SCHEDULED, PartnerJob.Status.ACCEPTED, PartnerJob.Status.OFFERED)


def partner_jobs(need: Need) -> list[dict]:
    """The need's jobs, open ones first, then done and declined (a withdrawn job was never the organisation's
    to do, and is left out); each as the boards know it (ops.partners.state.job_state)."""
    jobs = (need.partner_jobs.exclude(status=PartnerJob.Status.WITHDRAWN)
            .select_related("organisation", "work_type").order_by("-offered_at", "-id"))
    rank = {s: i for i, s in enumerate((*OPEN_ORDER, PartnerJob.Status.DONE, PartnerJob.Status.DECLINED))}
    return [job_state(j) for j in sorted(jobs, key=lambda j: rank.get(j.status, 9))]


def open_job_marks(centre, need_ids=None) -> dict[int, str]:
    """need id -> the status of its furthest-along open partner job (scheduled, accepted, offered), for the
    mark on the board's pins and lists; needs with none are left out."""
    qs = PartnerJob.objects.open().filter(centre=centre)
    if need_ids is not None:
        qs = qs.filter(need_id__in=list(need_ids))
    marks: dict[int, str] = {}
    for need_id, status in qs.values_list("need_id", "status"):
        held = marks.get(need_id)
        if held is None or OPEN_ORDER.index(status) < OPEN_ORDER.index(held):
            marks[need_id] = status
    return marks


def partner_status_labels() -> dict:
    return {value: str(label) for value, label in PartnerJob.Status.choices}


def _detail_url(need):
    try:
        return reverse("needs:detail", kwargs={"centre": need.centre.slug, "pk": need.pk})
    except NoReverseMatch:
        return ""


def districts(centre) -> list[str]:
    return list(Need.objects.filter(centre=centre).exclude(district="").order_by("district")
                .values_list("district", flat=True).distinct())


def work_types():
    return list(WorkType.objects.all())


UNPINNED_SHOWN = 500  # the list's length; the count says how many there are in all


def unpinned(centre, *, sight: Sight) -> dict:
    """Open needs with no position: the count and the list the board shows under the map (most urgent first).
    The resident's name and address only for roles the registry (ops.privacy) gives them to: the board searches
    the name, and placing a need starts its address search from the address."""
    qs = (Need.objects.filter(centre=centre, status__in=feed.DEFAULT_STATUSES)
          .filter(Q(lat__isnull=True) | Q(lng__isnull=True)).prefetch_related("work_types")
          .order_by("priority", "number"))
    names = sight.shows(NEED, "requester_name")
    addresses = sight.shows(NEED, "address")  # placing by address search starts from it
    shown = list(qs[:UNPINNED_SHOWN])
    marks = open_job_marks(centre, [n.pk for n in shown])
    rows = []
    for need in shown:
        row = _row(need, marks)
        if names:
            row["name"], row["kana"] = need.requester_name, need.requester_kana
        if addresses:
            row["address"] = need.address
        rows.append(row)
    return {"count": qs.count(), "needs": rows}


def found(centre, *, sight: Sight, words: str, limit: int = 20) -> list[dict]:
    """Needs matching `words` by number (N-0044, 44, full width too), district or, for roles that see them,
    the resident's name or reading: the needs list's own search (ops.needs.selectors.needs_list), so the board
    finds what the list would and nothing the role may not see."""
    words = unicodedata.normalize("NFKC", words or "").strip()[:100]
    if not words:
        return []
    if words.isdigit():
        words = "N-" + words
    masked = sight.mask_all(needs_list(centre, sight=sight, q=words).order_by("number")[:limit])
    names = sight.shows(NEED, "requester_name")
    marks = open_job_marks(centre, [shown._obj.pk for shown in masked])
    rows = []
    for shown in masked:
        row = _row(shown._obj, marks)
        row.update(lat=shown.lat, lng=shown.lng)
        if names:
            row["name"] = shown.requester_name
        rows.append(row)
    return rows


def _row(need, marks: dict | None = None) -> dict:
    """`partner`: the status of the need's furthest-along open partner job, or "" (open_job_marks)."""
    return {"partner": (marks or {}).get(need.pk, ""), "id": need.pk, "label": need.label, "number": need.number, "district": need.district,
            "status": need.status, "status_label": str(NeedStatus(need.status).label),
            "work_types": [str(wt) for wt in need.work_types.all()], "people_needed": need.people_needed,
            "priority": need.priority, "pinned": need.lat is not None and need.lng is not None}
