"""Offline address search over 国土交通省 位置参照情報 (normalise, importer, match), with the GSI address
search as an optional online fallback (online). `geocode` is what the search endpoint and the intake form ask."""
from __future__ import annotations


def geocode(text: str, *, home_city: str = "") -> dict:
    """{"results": [candidate JSON, best first], "source": "local" | "online" | "none"}. The online service is
    asked only when the local data has no block-level match; its answers then come first."""
    from mapping.addresses.match import BLOCK, geocode_local
    from mapping.addresses.online import geocode_online

    local = geocode_local(text, home_city=home_city)
    online = [] if local and local[0].level == BLOCK else geocode_online(text)
    results = online + local
    source = "online" if online else "local" if local else "none"
    return {"results": [c.as_json() for c in results[:5]], "source": source}
