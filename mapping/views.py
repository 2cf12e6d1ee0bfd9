"""The coordinator's map board, its GeoJSON feed, need cards and the side panel of teams."""
import gzip
import json
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mapping import area, feed, selectors
from mapping.geo import BBoxError, parse_bbox
from ops import privacy
from ops.dispatch import selectors as dispatch_selectors
from ops.dispatch.services import day_refusal
from ops.dispatch.views import volunteer_label
from ops.events import last_seq
from ops.needs.models import Need, NeedStatus
from ops.needs.services import NeedError, place_need
from ops.permissions import Cap, centre_view

GZIP_MIN_BYTES = 1024


@require_GET
@centre_view(Cap.DISPATCH)
def board(request, centre):
    return render(request, "mapping/board.html", {
        "statuses": [(value, label, value in feed.DEFAULT_STATUSES) for value, label in NeedStatus.choices],
        "districts": selectors.districts(centre), "work_types": selectors.work_types(),
        "bases": [{"name": b.name, "lat": b.lat, "lng": b.lng, "kind": b.kind} for b in centre.bases.active()],
        "seq": last_seq(centre.pk), "stale_seconds": settings.BOARD_STALE_SECONDS, **_panel_context(request, centre),
        "labels": _labels(),
        "sees_names": privacy.sight_of(request.user, centre).shows(Need._meta.label, "requester_name"),
        "area_url": reverse("mapping:area", kwargs={"centre": centre.slug}) if len(area.area_centres(centre)) > 1 else "",
    })


@require_GET
@centre_view(Cap.DISPATCH)
def needs_geojson(request, centre):
    started = time.perf_counter()
    try:
        bbox = parse_bbox(request.GET.get("bbox"))
        statuses = feed.parse_statuses(request.GET.get("status"))
    except (BBoxError, feed.FeedError) as err:
        return JsonResponse({"error": str(err)}, status=400)
    body = feed.feed_bytes(centre, bbox=bbox, statuses=statuses, district=request.GET.get("district") or None,
                           work_type=request.GET.get("work_type") or None, sight=privacy.sight_of(request.user, centre))
    return _feed_response(request, body, started, "application/geo+json")


def _feed_response(request, body: bytes, started: float, content_type: str) -> HttpResponse:
    response = HttpResponse(content_type=content_type)
    if len(body) >= GZIP_MIN_BYTES and "gzip" in request.headers.get("Accept-Encoding", ""):
        body = gzip.compress(body, compresslevel=5, mtime=0)
        response["Content-Encoding"] = "gzip"
    response.content = body
    response["Vary"] = "Accept-Encoding, Cookie"
    response["Cache-Control"] = "private, no-cache"
    # Query, encoding and compression time, for the browser's dev tools and bench/map_feed.py.
    response["Server-Timing"] = f"feed;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


@require_GET
@centre_view(Cap.DISPATCH)
def need_card(request, centre, need):
    need = get_object_or_404(Need.objects.prefetch_related("work_types"), pk=need, centre=centre)
    card = selectors.need_card(need, sight=privacy.sight_of(request.user, centre))
    response = JsonResponse(card, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@centre_view(Cap.DISPATCH)
def unpinned(request, centre):
    """The open needs with no position (「N件 位置未設定」), for the list under the board's map."""
    body = selectors.unpinned(centre, sight=privacy.sight_of(request.user, centre))
    return _private_json(body)


@require_POST
@centre_view(Cap.DISPATCH)
def place(request, centre, need):
    """Put a need on the map: JSON {lat, lng} in, the need's card out; 400 with the reason in words."""
    need = get_object_or_404(Need, pk=need, centre=centre)
    data = _json_body(request)
    if data is None:
        return JsonResponse({"error": _("緯度と経度を指定してください。")}, status=400)
    try:
        place_need(need, lat=data.get("lat"), lng=data.get("lng"), by=request.user)
    except NeedError as err:
        return JsonResponse({"error": str(err)}, status=400, json_dumps_params={"ensure_ascii": False})
    need = Need.objects.prefetch_related("work_types").get(pk=need.pk)
    return _private_json(selectors.need_card(need, sight=privacy.sight_of(request.user, centre)))


@require_POST
@centre_view(Cap.DISPATCH)
def find(request, centre):
    """The board's search: the words come in a POST body (a name typed must not land in an access log)."""
    data = _json_body(request)
    words = data.get("q") if data is not None else None
    if not isinstance(words, str):
        return JsonResponse({"error": _("探す言葉を入力してください。")}, status=400)
    found = selectors.found(centre, sight=privacy.sight_of(request.user, centre), words=words)
    return _private_json({"needs": found})


@require_GET
@centre_view(Cap.VIEW_REPORTS, Cap.DISPATCH)
def area_view(request, centre):
    """The prefecture view: every centre of the disaster on one canvas; dispatch stays on each centre's board."""
    try:
        chosen = feed.parse_statuses(",".join(request.GET.getlist("status")))
    except feed.FeedError:
        chosen = feed.DEFAULT_STATUSES
    return render(request, "mapping/area.html", {
        "statuses": [(value, label, value in chosen) for value, label in NeedStatus.choices], "labels": _labels()})


@require_GET
@centre_view(Cap.VIEW_REPORTS, Cap.DISPATCH)
def area_feed(request, centre):
    started = time.perf_counter()
    try:
        statuses = feed.parse_statuses(request.GET.get("status"))
    except feed.FeedError as err:
        return JsonResponse({"error": str(err)}, status=400)
    body = area.area_feed_bytes(request.user, area.area_centres(centre), statuses=statuses,
                                board_url=lambda c: reverse("mapping:board", kwargs={"centre": c.slug}))
    return _feed_response(request, body, started, "application/json")


def _labels() -> dict:
    """The words of work-type codes and statuses, for pins' labels drawn in the browser."""
    return {"work": {wt.code: str(wt) for wt in selectors.work_types()},
            "status": {value: str(label) for value, label in NeedStatus.choices},
            "partner_status": selectors.partner_status_labels()}


def _json_body(request) -> dict | None:
    """The board's JSON body (a form post is read too, as dispatch:send reads it); None if unreadable."""
    if request.content_type != "application/json":
        return request.POST
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _private_json(body) -> JsonResponse:
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@centre_view(Cap.DISPATCH)
def panel(request, centre):
    """The teams column as an HTML fragment; the board swaps it in after team and dispatch events."""
    return render(request, "mapping/_panel.html", _panel_context(request, centre))


def _panel_context(request, centre):
    today = centre.today()
    now = timezone.now()
    label = volunteer_label(request, centre)
    teams = dispatch_selectors.teams_now(centre, at=now)
    waiting = list(dispatch_selectors.waiting_volunteers(centre, today))
    return {
        "ready": [t for t in teams if t.status == "ready"],
        "in_field": sorted((t for t in teams if t.status in dispatch_selectors.IN_FIELD),
                           key=lambda t: (not t.overdue, t.expected_return_at or now)),
        "overdue_count": sum(1 for t in teams if t.overdue),
        "waiting": [(a, label(a)) for a in waiting],
        "waiting_people": sum(getattr(a, "head_count", 1) or 1 for a in waiting),
        "latest_return": centre.latest_return_time, "today": today,
        "closed": day_refusal(centre, at=now),
    }
