"""Plain latitude/longitude geometry: distances and bounding boxes. No GDAL; a centre has thousands of
points, not millions, so indexed lat/lng columns and these helpers are enough."""
from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import quote

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


class BBoxError(ValueError):
    """A bounding box that cannot be read; the message says why (for a 400 answer)."""


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    def contains(self, lat: float, lng: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lng <= self.east

    def filter(self, queryset, lat: str = "lat", lng: str = "lng"):
        """The queryset restricted to points inside the box (uses the (lat, lng) index)."""
        return queryset.filter(**{f"{lat}__gte": self.south, f"{lat}__lte": self.north,
                                  f"{lng}__gte": self.west, f"{lng}__lte": self.east})


def parse_bbox(value: str | None) -> BBox | None:
    """Read "west,south,east,north" (Leaflet's map.getBounds().toBBoxString()). None or "" gives None.

    Boxes wider than the world are clamped; a box crossing the antimeridian is not needed in Japan and is
    refused rather than silently misread.
    """
    if not value:
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise BBoxError("bbox must be west,south,east,north")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError as err:
        raise BBoxError("bbox values must be numbers") from err
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BBoxError("bbox values must be finite")
    west, east = max(west, -180.0), min(east, 180.0)
    south, north = max(south, -90.0), min(north, 90.0)
    if west > east or south > north:
        raise BBoxError("bbox must have west <= east and south <= north")
    return BBox(west, south, east, north)


def geo_uri(lat: float, lng: float, label: str = "") -> str:
    """RFC 5870 geo: URI; phones open their map app on it."""
    uri = f"geo:{lat:.6f},{lng:.6f}"
    if label:
        uri += f"?q={lat:.6f},{lng:.6f}({quote(label)})"
    return uri


def web_map_url(lat: float, lng: float, zoom: int = 17) -> str:
    """A web map link for phones without a geo: handler (GSI maps, the same source as our tiles)."""
    return f"https://maps.gsi.go.jp/#{zoom}/{lat:.6f}/{lng:.6f}/"
