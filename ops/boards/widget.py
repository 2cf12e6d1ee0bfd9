"""The widget a council pastes into its own page: an iframe (or embed.js, which writes the iframe) showing the
centre's public information, phone-width and Japanese first. It is the one page of ours another site may frame:
X-Frame-Options is lifted and CSP frame-ancestors opened for it alone; it holds aggregates and what staff typed
for the public, never a person's data, and takes no input (no form, no session, no cookie).

It is Japanese whatever the visitor's browser asks: it stands on a Japanese council's page among Japanese text.
`?lang=en` (one of settings.LANGUAGES) gives it in English, for a council's English page. It is drawn from the
same microcached public document as /p/<c>/board.json (ops.boards.views.public_document), so a council's page
on a news day costs no snapshot per visitor; widget.js then polls that JSON every `?poll=` seconds (30 unless
said, never under 2) and posts its height to the embedding page (embed.js sizes the iframe by it)."""
import hashlib
import json
from datetime import date, datetime

from csp.decorators import csp_replace
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from ops.boards import labels
from ops.boards.views import public_document, tel
from ops.centres.models import Centre
from ops.volunteers.models import HEADS

POLL_SECONDS = 30
POLL_MIN, POLL_MAX = 2, 3600


def language_of(request) -> str:
    """`?lang=` when it names one of our languages, else the site's own (Japanese), never Accept-Language."""
    asked = request.GET.get("lang", "")
    return asked if asked in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def poll_seconds(request) -> int:
    try:
        asked = int(request.GET.get("poll", ""))
    except ValueError:
        return POLL_SECONDS
    return min(max(asked, POLL_MIN), POLL_MAX)


def tel_href(phone: str) -> str:
    """tel:0261221234 for "0261-22-1234", the number as the public board writes it (views.tel); widget.js too."""
    return "tel:" + tel(phone) if phone else ""


def words() -> dict:
    """The public board's words (labels.public_labels), which widget.js writes when the JSON brings a change, in
    the page's language (the JSON's own labels follow the reader's Accept-Language; the widget its `?lang=`);
    the widget's booking button says more than the board's 「予約」 pill."""
    return {**labels.public_labels(), "book": _("予約する")}


def rest_of(day: dict, centre: dict, w: dict) -> str:
    """The places-left cell, as widget.js computes it: nobody wanted, 活動中止, 休止日, full, or how many."""
    if centre["recruitment_status"] == Centre.Recruitment.NONE:
        return "—"
    if day["suspended"]:
        return w["suspension"]["title"]
    if day["closed"]:
        return w["closed_day"]
    if day["left"] <= 0:
        return w["full"]
    return f"{day['left']:,}{w['people']}"


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def widget(request, centre):
    centre = get_object_or_404(Centre, slug=centre)
    language, poll = language_of(request), poll_seconds(request)
    with translation.override(language), timezone.override(centre.tz):
        doc = public_document(centre)
        snapshot = json.loads(doc.body)
        state, w = snapshot["centre"], words()
        response = render(request, "boards/widget.html", {
            "language": language, "poll": poll, "etag": doc.etag,
            "board_centre": centre, "snapshot": snapshot, "c": state, "info": state["info"],
            "words": w, "names": labels.public_info(state), "tel": tel_href(state["info"]["phone"]),
            "volunteers_today_label": HEADS["checked_in"],
            "days": [{**d, "day": date.fromisoformat(d["date"]), "rest": rest_of(d, state, w)}
                     for d in snapshot["days"]],
            "recruiting": state["recruitment_status"] != Centre.Recruitment.NONE,
            "updated_at": datetime.fromisoformat(snapshot["updated_at"]),
            "suspension_lines": labels.suspension_lines(state["suspensions"]),
        })
    response["Content-Language"] = language
    # The page is the same for every visitor asking the same URL: a council's crowd may be served from a
    # cache for as long as the JSON itself, and a reload answered 304.
    response["Cache-Control"] = f"public, max-age={settings.PUBLIC_FEED_MAX_AGE}"
    response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    return get_conditional_response(request, etag=response["ETag"], response=response)
