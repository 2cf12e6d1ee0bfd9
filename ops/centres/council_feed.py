"""The council's public address (/council/<slug>/, its info.json and /api/v1/public/councils/<slug>/): what the
social welfare council (社会福祉協議会) says to anyone who looks it up. In normal times (平常時: none of its
centres is open or preparing) its own message and links; while one or more are, those centres with their
status, recruitment, a short summary and their public links. Closed centres are not listed. Only what staff typed
for the public and aggregates: never a person's data.

The JSON is served like the centre's feed (ops.boards.feed: ETag, Last-Modified, 304, Cache-Control, CORS), from a
per-process microcache keyed by the council's `changed_at` and each listed centre's (pk, day, event_seq, public
stamps): a centre opening or closing, joining the list or changing its public information makes a new document.
"""
import json
from datetime import time

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import get_language

from ops.boards import feed
from ops.centres import public
from ops.centres.models import Centre, Council, Event
from ops.volunteers.qr import absolute

LISTED = (Centre.Status.OPEN, Centre.Status.PREPARING)
NORMAL, DISASTER = "normal", "disaster"


def listed_centres(council: Council) -> list[Centre]:
    """The council's centres its address lists: open or preparing, open ones first."""
    centres = Centre.objects.real().filter(council=council, status__in=LISTED)  # never a drill's (訓練)
    return sorted(centres, key=lambda c: (c.status != Centre.Status.OPEN, c.name, c.pk))


def _centre_entry(centre: Centre) -> dict:
    from ops.volunteers.models import Attendance

    return {
        "slug": centre.slug,
        "name": centre.name,
        "municipality": centre.municipality,
        "prefecture": centre.prefecture,
        "status": centre.status,
        "status_label": str(Centre.Status(centre.status).label),
        "recruitment_status": centre.recruitment_status,
        "recruitment_label": str(Centre.Recruitment(centre.recruitment_status).label),
        "recruitment_scope": centre.recruitment_scope,
        "recruitment_scope_label": str(Centre.Scope(centre.recruitment_scope).label),
        "phone": centre.phone,
        "message": centre.status_message,
        "work_today": centre.work_today,
        "volunteers_today": Attendance.objects.heads_on(centre, centre.today())["checked_in"],
        "links": public.links(centre),
        "updated_at": public.last_changed(centre),
    }


def council_data(council: Council, centres: list[Centre] | None = None) -> dict:
    """The council's public document: `mode` "normal" (its message and links) or "disaster" (its listed
    centres; the message is left out, the links stay: the council's own pages are still worth a click)."""
    centres = listed_centres(council) if centres is None else centres
    mode = DISASTER if centres else NORMAL
    return {
        "council": {
            "slug": council.slug, "name": council.name, "prefecture": council.prefecture,
            "municipality": council.municipality, "phone": council.phone, "address": council.address,
            "website": council.website,
            "url": absolute(reverse("council", kwargs={"council": council.slug})),
            "feed": absolute(reverse("api:public_council", kwargs={"council": council.slug})),
        },
        "mode": mode,
        "message": council.normal_message if mode == NORMAL else "",
        "links": council.link_list(),  # http(s) links only (Council.link_list)
        "centres": [_centre_entry(c) for c in centres],
        "updated_at": council.changed_at.isoformat(),
    }


def _key(council: Council, centres: list[Centre]) -> tuple:
    return (council.changed_at.isoformat(), tuple(
        (c.pk, c.today().isoformat(), c.event_seq, c.status, json.dumps(c.public_changed, sort_keys=True))
        for c in centres))


def _last_modified(council: Council, centres: list[Centre]) -> float:
    """The latest of: the council's change, each of its centres' public information (a closed one's too, and the
    day it closed: it left the list then), the last public figure of a listed centre and the start of its day
    (volunteers today starts again at midnight)."""
    moments = [council.changed_at]
    for centre in Centre.objects.real().filter(council=council):
        moments.append(public.last_changed(centre))
        if centre.status == Centre.Status.CLOSED and centre.closed_on:
            moments.append(centre.at(centre.closed_on, time.min))
    if centres:
        moments.append(Event.objects.filter(centre__in=centres, public__isnull=False)
                       .aggregate(at=Max("created_at"))["at"])
        moments += [c.day_bounds(c.today())[0] for c in centres]
    return feed.latest(*moments)


def council_document(council: Council) -> feed.Document:
    """The council's document for the current state, from the microcache while it is current."""
    centres = listed_centres(council)
    key = _key(council, centres)
    slot = ("council", council.pk, get_language())
    kept = feed.held(slot)
    if kept is not None and kept.key == key:
        return kept
    body = feed.encode(council_data(council, centres))
    return feed.keep(slot, feed.Document(key, body, _last_modified(council, centres)))
