"""Reads for the board: the need card (as the registry, ops.privacy, lets the role see it) and filter choices."""
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.timezone import localtime

from ops.dispatch.selectors import ready_teams
from ops.dispatch.services import day_refusal, dispatch_refusal, need_refusal
from ops.needs.models import Need, NeedStatus, WorkType
from ops.privacy import Sight

NEED = Need._meta.label


def need_card(need: Need, *, sight: Sight, at=None) -> dict:
    """What a coordinator sees on clicking a need: the fields `sight` shows, a rough position otherwise.

    `refusal` and `team_refusals` (per ready team id) are what the dispatch service would answer at `at`
    (now): the board's hint shows them, so it never says "ready" to a dispatch the server refuses.
    """
    at = at or timezone.now()
    active = list(need.dispatches.active().select_related("team"))
    on_site = sum(d.people for d in active)
    teams = ready_teams(need.centre, need.centre.day_of(at))
    shown = sight.mask(need)
    card = {
        "id": need.pk, "label": need.label, "status": need.status, "status_label": str(NeedStatus(need.status).label),
        "district": need.district, "lat": shown.lat, "lng": shown.lng,
        "work_types": [str(wt) for wt in need.work_types.all()],
        "people_needed": need.people_needed, "days_needed": need.days_needed, "on_site": on_site,
        "room": max(need.people_needed - on_site, 0),
        "refusal": day_refusal(need.centre, at=at) or need_refusal(need, already=on_site),
        "team_refusals": {str(t.pk): dispatch_refusal(t, need, at=at, people=t.size or 0, already=on_site)
                          for t in teams},
        "tools": need.tools_needed, "vehicle": need.vehicle_needed, "hazards": shown.hazards,
        "description": shown.description, "priority": str(need.get_priority_display()),
        "welfare": str(need.get_welfare_display()) if need.welfare != Need.Welfare.NONE else "",
        "received_at": localtime(need.received_at).strftime("%Y-%m-%d %H:%M"), "version": need.version,
        "teams": [{"label": d.team.label, "people": d.people,
                   "due": time_format(localtime(d.expected_return_at), "H:i")} for d in active],
        "detail_url": _detail_url(need),
        "personal": {"name": shown.requester_name, "kana": shown.requester_kana, "phone": shown.phone,
                     "address": shown.address},
    }
    # card keys named otherwise than the need's field they show: left out when the role does not get that field
    from_field = {"hazards": "hazards", "description": "description", "welfare": "welfare", "personal": "requester_name"}
    return {key: value for key, value in card.items() if key not in from_field or sight.given(NEED, from_field[key])}


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
