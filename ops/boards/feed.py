"""Serving the public JSON to other sites and to a news-day crowd: CORS, ETag / Last-Modified with 304 answers,
Cache-Control a proxy or CDN may act on, and a per-process microcache so that a thousand polls cost a thousand
lookups and not a thousand snapshots.

The document is built by `build` (the public snapshot) at most once per centre, language and change: it is
keyed by the centre's event sequence number (every change to the centre's public state is an event), the
centre's day (the counters and the days roll over at midnight with no event) and its public stamps. During a
burst of check-ins the sequence number moves many times a second; a document built less than
PUBLIC_FEED_STALE_SECONDS ago is then served as it is, so the feed lags the truth by at most that (a second) and
the burst costs each web process one snapshot a second, not one a poll. (A process runs its requests on
HTTP_THREADS threads, two by default (dvc/http.py): at worst two rebuild at once, no stampede to guard against.)

A poll (`document_for_slug`) costs one prepared lookup of the few columns the key needs, and polls within
PUBLIC_FEED_STATE_SECONDS (half a second) of that lookup share it, so a crowd reaches the database a couple of
times a second per process; the centre's row is read only to rebuild. bench/public_feed.py measures it beside a static file served by the same server.

The ETag is a hash of the bytes sent, so two processes serving the same state agree on it. Last-Modified is
the latest of: the public information's last change, the last public event (a counter moved) and the start
of the centre's day; it never moves without the document changing."""
import hashlib
import json
import threading
import time
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import get_language

from ops import sqlrows
from ops.centres.models import Centre

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Cache-Control",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept-Language",
    "Access-Control-Max-Age": "86400",
}


def cache_control() -> str:
    """Browsers may keep it for max-age; a shared cache (a CDN in front of a council's page, a proxy) as long,
    and may serve it stale while it revalidates, or for ten minutes when we do not answer."""
    age = settings.PUBLIC_FEED_MAX_AGE
    return f"public, max-age={age}, s-maxage={age}, stale-while-revalidate={4 * age}, stale-if-error=600"


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    for name, value in PREFLIGHT_HEADERS.items():
        response[name] = value
    return response


class Document:
    __slots__ = ("key", "body", "etag", "last_modified", "last_modified_http", "built_at")

    def __init__(self, key, body: bytes, last_modified: float):
        self.key, self.body, self.last_modified = key, body, last_modified
        self.etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        self.last_modified_http = http_date(last_modified)
        self.built_at = time.monotonic()


# The microcache: (name, centre id, language) -> Document, this process's own. A plain dict and not the locmem
# cache: that pickles the document in and out on every poll, and nothing here needs its expiry (a slot is
# replaced when the state moves; there is one per centre, name and language).
_held: dict[tuple, Document] = {}
_lock = threading.Lock()
# slug -> (the centre's state row, when it was read): a crowd's polls within PUBLIC_FEED_STATE_SECONDS of each
# other share one read of it (and so reach no database at all).
_states: dict[str, tuple] = {}

# The polled path's one lookup: what the key needs, by the slug's unique index, not the centre's whole row
# (compiling the ORM's query for it cost more than the rest of a 304). Prepared per connection (ops.sqlrows).
STATE_SQL = ('SELECT "id", "event_seq", "timezone", "public_changed" FROM "centres_centre" '
             'WHERE "slug" = %(feed_slug)s')


def forget() -> None:
    """Drop every held document (tests that reset the database)."""
    with _lock:
        _held.clear()
        _states.clear()


def _key(seq: int, tz: str, changed: dict) -> tuple:
    """The state a document was built for: the event sequence number, the centre's day, the public stamps."""
    today = Centre.today_in(tz)
    return (seq, today.isoformat(), json.dumps(changed, sort_keys=True))


def document(name: str, centre, build, last_modified) -> Document:
    """The document `build(centre)` for the current state, from the microcache when it is current or was built
    less than PUBLIC_FEED_STALE_SECONDS ago and only figures moved since (a change of public information, or
    the day's end, is served at once)."""
    key = _key(centre.event_seq, centre.timezone, centre.public_changed)
    return _document(name, centre.pk, key, lambda: centre, build, last_modified)


def document_for_slug(name: str, slug: str, build, last_modified) -> Document | None:
    """As `document`, for the centre of `slug` (None: no such centre), with one small indexed lookup when the
    held document is current; the centre's row is loaded only to rebuild it."""
    row = _state(slug)
    if row is None:
        return None
    pk, seq, tz, changed = row
    if isinstance(changed, str):  # Django's connection hands jsonb over as text for its fields to decode
        changed = json.loads(changed)
    key = _key(seq, tz, changed)
    return _document(name, pk, key, lambda: Centre.objects.get(pk=pk), build, last_modified)


def _state(slug: str):
    """The centre's (pk, event_seq, timezone, public_changed), read at most once per PUBLIC_FEED_STATE_SECONDS
    per process (0: every time). An unknown slug is never remembered."""
    ttl, now = settings.PUBLIC_FEED_STATE_SECONDS, time.monotonic()
    known = _states.get(slug)
    if known is not None and now - known[1] < ttl:
        return known[0]
    row = sqlrows.fetchone(STATE_SQL, {"feed_slug": slug})
    if row is not None and ttl > 0:
        with _lock:
            if len(_states) > 10_000:  # slugs are few; never let a scan of made-up ones grow it
                _states.clear()
            _states[slug] = (row, now)
    return row


def _document(name, pk, key, load, build, last_modified) -> Document:
    slot = (name, pk, get_language())
    held = _held.get(slot)
    if held is not None and held.key == key:
        return held
    only_figures_moved = held is not None and held.key[1:] == key[1:]
    if only_figures_moved and time.monotonic() - held.built_at < settings.PUBLIC_FEED_STALE_SECONDS:
        return held  # built moments ago: a burst of check-ins rebuilds it once a window, not once a change
    centre = load()
    data = build(centre)
    return keep(slot, Document(key, encode(data), last_modified(centre, data)))


def encode(data) -> bytes:
    """The bytes of a public document: the same data always the same bytes (so the same ETag everywhere)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def held(slot: tuple) -> Document | None:
    """The document this process keeps in `slot` (the council's feed keeps its own here too)."""
    return _held.get(slot)


def keep(slot: tuple, doc: Document) -> Document:
    with _lock:
        _held[slot] = doc
    return doc


def not_modified(request, doc: Document) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when sent (weak comparison); else If-Modified-Since."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        tags = parse_etags(if_none_match)
        return "*" in tags or any(tag.removeprefix("W/") == doc.etag for tag in tags)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(doc.last_modified) <= since


def respond(request, doc: Document, *, content_type="application/json") -> HttpResponse:
    if not_modified(request, doc):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(b"" if request.method == "HEAD" else doc.body, content_type=content_type)
        if request.method == "HEAD":
            response["Content-Length"] = str(len(doc.body))
    response["ETag"] = doc.etag
    response["Last-Modified"] = doc.last_modified_http
    response["Cache-Control"] = cache_control()
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


def latest(*moments) -> float:
    """The latest of ISO strings / datetimes (None skipped), as a POSIX timestamp."""
    stamps = [datetime.fromisoformat(m) if isinstance(m, str) else m for m in moments if m]
    return max(s.timestamp() for s in stamps)
