"""The optional online fallback: the GSI address search (国土地理院 住所検索), asked only when the local data
has no block-level match, with a short timeout. What is sent: the typed address text, nothing else (no name,
no phone, no need). Unreachable, slow or odd answers just mean "local only"; nothing here is ever required.
GEOCODER_ONLINE_URL (empty disables it) is the service's URL ending in "?q=".
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from urllib.parse import quote

from django.conf import settings

from mapping.addresses.match import MAX_RESULTS, ONLINE, Candidate

log = logging.getLogger(__name__)


def geocode_online(text: str) -> list[Candidate]:
    """The service's answers as candidates, or [] when it is disabled, unreachable, slow or answers oddly.
    The log says that it failed, never the address."""
    base = getattr(settings, "GEOCODER_ONLINE_URL", "")
    if not base.startswith(("https://", "http://")) or not text.strip():
        return []
    request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
        base + quote(text.strip()[:200]), headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=settings.GEOCODER_ONLINE_TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read(1 << 20))
    except (OSError, ValueError, urllib.error.URLError) as err:
        log.info("online geocoder unavailable: %s", type(err).__name__)
        return []
    found = []
    for feature in answer if isinstance(answer, list) else []:
        try:
            lng, lat = (float(v) for v in feature["geometry"]["coordinates"][:2])
            title = str(feature["properties"]["title"])[:200]
        except (KeyError, TypeError, ValueError):
            continue
        if -90 <= lat <= 90 and -180 <= lng <= 180:
            found.append(Candidate(lat, lng, title, ONLINE))
        if len(found) == MAX_RESULTS:
            break
    return found
