"""The coordinator's map board, its GeoJSON feed, need cards and the side panel of teams."""
import gzip
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mapping import feed, selectors
from mapping.geo import BBoxError, parse_bbox
from ops import privacy
from ops.dispatch import selectors as dispatch_selectors
from ops.dispatch.services import day_refusal
from ops.dispatch.views import volunteer_label
from ops.events import last_seq
from ops.needs.models import Need, NeedStatus
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
    response = HttpResponse(content_type="application/geo+json")
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
