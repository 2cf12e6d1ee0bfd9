"""The boards' pages and JSON. Pages are rendered from a snapshot on the server (so they work, if less live,
without JavaScript); board.js then keeps them current from the websocket, the events feed and the snapshot."""
import re
from datetime import date

from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ops import privacy
from ops.boards import feed, labels, selectors
from ops.boards.forms import NoticesForm, PublicInfoForm, RecruitmentForm, StatusForm
from ops.centres import services
from ops.centres.models import Centre
from ops.permissions import Cap, centre_view


def _json(data, *, status=200, public=False):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    if public:
        # For the centre's website and social media tools: aggregates only, so any origin may read it.
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = "public, max-age=5"
    else:
        response["Cache-Control"] = "no-store"
    return response


def _since(request):
    try:
        since = int(request.GET.get("since", ""))
    except ValueError:
        return None
    return since if since >= 0 else None


# --- staff board ------------------------------------------------------------------------------------------

def _audience(request, centre) -> str:
    return privacy.sight_of(request.user, centre).audience


@centre_view(Cap.VIEW_BOARD)
def staff_board(request, centre):
    snapshot = selectors.staff_snapshot(centre, audience=_audience(request, centre))
    return render(request, "boards/staff.html", {
        "snapshot": snapshot,
        "teams": labels.team_rows(snapshot["teams"], snapshot["needs"], centre.timezone),
        "counts": labels.staff_count_rows(snapshot["counts"]),
        "partner_rows": labels.partner_rows(snapshot["partners"]),
        "feed": labels.feed_lines(reversed(snapshot["events"])),
        "labels": labels.staff_labels(),
        "suspension_lines": labels.suspension_lines(snapshot["centre"]["suspensions"]),
        "ws_path": f"/ws/c/{centre.slug}/board/",
        "stale_seconds": settings.BOARD_STALE_SECONDS,
    })


@require_GET
@centre_view(Cap.VIEW_BOARD)
def staff_snapshot(request, centre):
    return _json(selectors.staff_snapshot(centre, audience=_audience(request, centre)))


@require_GET
@centre_view(Cap.VIEW_BOARD)
def staff_events(request, centre):
    since = _since(request)
    if since is None:
        return _json({"error": _("since には0以上の整数を指定してください。")}, status=400)
    return _json(selectors.catch_up(centre, since, public=False, audience=_audience(request, centre)))


# --- public board -----------------------------------------------------------------------------------------

@require_GET
def public_board(request, centre):
    centre = get_object_or_404(Centre, slug=centre)
    snapshot = selectors.public_snapshot(centre)
    state, tz = snapshot["centre"], snapshot["timezone"]
    info, words = state["info"], labels.public_labels()
    return render(request, "boards/public.html", {
        "board_centre": centre,
        "snapshot": snapshot,
        # `suspended` and `booking_open` are the snapshot's (ops.boards.selectors.recruitment_days)
        "days": [{**d, "day": date.fromisoformat(d["date"]), "full": d["left"] == 0 and not d["closed"]}
                 for d in snapshot["days"]],
        "public": info,
        "tel": tel(info["phone"]),
        "bases": [{**b, "kind_label": words["base_kind"].get(b["kind"], b["kind"])} for b in info["bases"]],
        "changed": labels.block_changes(state["changed"], tz),
        "updated_at": labels.short_time(snapshot["updated_at"], tz),
        "info": labels.public_info(state),
        "labels": words,
        "suspension_lines": labels.suspension_lines(state["suspensions"]),
        "ws_path": f"/ws/p/{centre.slug}/board/",
        "stale_seconds": settings.BOARD_STALE_SECONDS,
    })


def tel(phone: str) -> str:
    """A tel: link's number: digits and a leading + only (public.js does the same)."""
    return re.sub(r"[^0-9+]", "", phone or "")


def public_document(centre: Centre) -> feed.Document:
    """The public JSON (the board's snapshot with its display words), as served here and by the API's
    public status: one document, one cache slot, one ETag."""
    return feed.document("status", centre, _public_data, _public_last_modified)


def _public_data(centre: Centre) -> dict:
    snapshot = selectors.public_snapshot(centre)
    snapshot["labels"] = labels.public_info(snapshot["centre"])
    return snapshot


def _public_last_modified(centre: Centre, data: dict) -> float:
    return feed.latest(data["updated_at"], data["figures_at"], data["day_started_at"])


@require_http_methods(["GET", "HEAD", "OPTIONS"])
@csp_exempt()  # a JSON document, never rendered as a page (nosniff): building the policy cost a tenth of a 304
def public_snapshot(request, centre):
    if request.method == "OPTIONS":
        return feed.preflight()
    # Polled by a crowd: one small lookup by slug; the centre's row is read only when the document is rebuilt.
    doc = feed.document_for_slug("status", centre, _public_data, _public_last_modified)
    if doc is None:
        raise Http404
    return feed.respond(request, doc)


@require_GET
def public_events(request, centre):
    centre = get_object_or_404(Centre, slug=centre)
    since = _since(request)
    if since is None:
        return _json({"error": _("since には0以上の整数を指定してください。")}, status=400, public=True)
    return _json(selectors.catch_up(centre, since, public=True), public=True)


# --- recruitment ------------------------------------------------------------------------------------------

TITLES = {"recruitment": gettext_lazy("ボランティア募集"), "notices": gettext_lazy("お知らせ・持ち物"),
          "status": gettext_lazy("センターの開設状況"), "public_info": gettext_lazy("公開情報")}
FORMS = {
    "recruitment": (RecruitmentForm, lambda centre, d, by: services.set_recruitment(
        centre, status=d["status"], scope=d["scope"], capacity=d["capacity"], by=by)),
    "notices": (NoticesForm, lambda centre, d, by: services.set_notices(
        centre, notice=d["notice"], what_to_bring=d["what_to_bring"], by=by)),
    "status": (StatusForm, lambda centre, d, by: services.set_status(centre, status=d["status"], by=by)),
    "public_info": (PublicInfoForm, lambda centre, d, by: services.set_public_info(
        centre, work_today=d["work_today"], tomorrow_meeting_time=d["tomorrow_meeting_time"],
        tomorrow_meeting_place=d["tomorrow_meeting_place"], tomorrow_plan=d["tomorrow_plan"],
        status_message=d["status_message"], by=by)),
}


@centre_view(Cap.MANAGE_CENTRE)
def recruitment(request, centre):
    """募集状況・お知らせ・開設状況・公開情報: saved here, shown on the public board the moment they are saved."""
    initial = {
        "recruitment": {"status": centre.recruitment_status, "scope": centre.recruitment_scope,
                        "capacity": centre.daily_capacity},
        "notices": {"notice": centre.notice, "what_to_bring": centre.what_to_bring},
        "status": {"status": centre.status},
        "public_info": {"work_today": centre.work_today, "tomorrow_meeting_time": centre.tomorrow_meeting_time,
                        "tomorrow_meeting_place": centre.tomorrow_meeting_place,
                        "tomorrow_plan": centre.tomorrow_plan, "status_message": centre.status_message},
    }
    forms = {name: cls(initial=initial[name], prefix=name) for name, (cls, _save) in FORMS.items()}
    which = request.POST.get("form") if request.method == "POST" else None
    if which in FORMS:
        cls, save = FORMS[which]
        form = forms[which] = cls(request.POST, prefix=which)
        if form.is_valid():
            try:
                save(centre, form.cleaned_data, request.user)
            except services.CentreSettingError as err:
                form.add_error(err.field if err.field in form.fields else None, err.message)
            else:
                messages.success(request, _("保存しました。公開ボードに反映されています。"))
                return redirect(reverse("boards:recruitment", kwargs={"centre": centre.slug}))
    status = 400 if request.method == "POST" else 200
    sections = [(name, TITLES[name], form) for name, form in forms.items()]
    return render(request, "boards/recruitment.html", {"forms": sections}, status=status)
