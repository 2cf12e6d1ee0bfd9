"""The base map without internet: an MBTiles file (SQLite, raster tiles in TMS row order) read by the app and
served at /tiles/..., or a tile server (TILE_URL), or none. Every map asks `source()` which one it shows."""
from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

# Raster formats a browser draws in an <img>: the metadata's `format` -> Content-Type. Vector tiles (pbf)
# need a style and a renderer Leaflet does not have.
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
MAX_ZOOM = 22
OVERZOOM = 2  # beyond the file's deepest level the map enlarges its tiles, so a pin can still be placed closely
# The two files the app may serve: the centre's own (TILE_MBTILES or load_basemap's) and the demo's drawn grid.
LOADED_NAME = "basemap.mbtiles"
DEMO_NAME = "demo.mbtiles"


class BasemapError(ValueError):
    """A file that cannot serve as the base map; the message says why, in the reader's language."""


@dataclass(frozen=True)
class Basemap:
    """What an MBTiles file holds, read from its metadata and tiles tables."""

    path: Path
    which: str  # "basemap" or "demo": the URL segment that serves it
    name: str
    format: str
    minzoom: int
    maxzoom: int
    bounds: tuple[float, float, float, float] | None  # west, south, east, north
    tile_count: int
    attribution: str
    version: str  # changes when the file does: in the tile URL, so browsers never keep an old map's tiles

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return "jpg" if self.format == "jpeg" else self.format

    def label(self) -> str:
        return _("背景地図: ローカルファイル（%(name)s, z%(min)d–%(max)d）") % {
            "name": self.name, "min": self.minzoom, "max": self.maxzoom}


def basemap_dir() -> Path:
    return Path(settings.VAR_DIR) / "basemap"


def _connect(path: Path) -> sqlite3.Connection:
    # Read-only by URI: the app can never write to (or create) the file it serves.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)


def read_basemap(path: Path, *, which: str = "basemap") -> Basemap:
    """Open and check an MBTiles file: raster format, zoom levels, bounds, at least one tile."""
    path = Path(path)
    if not path.is_file():
        raise BasemapError(_("ファイルがありません: %(path)s") % {"path": path})
    try:
        with closing(_connect(path)) as db:
            meta = dict(db.execute("SELECT name, value FROM metadata").fetchall())
            zooms = db.execute("SELECT MIN(zoom_level), MAX(zoom_level), COUNT(*) FROM tiles").fetchone()
    except sqlite3.DatabaseError as err:
        raise BasemapError(_("MBTiles（SQLite）として読めません: %(error)s") % {"error": err}) from err
    fmt = str(meta.get("format", "")).strip().lower()
    if fmt not in CONTENT_TYPES:
        raise BasemapError(_("タイルの形式「%(format)s」は使えません。画像タイル（png, jpg, webp）の MBTiles を用意して"
                             "ください。") % {"format": fmt or "?"})
    low, high, count = zooms
    if not count:
        raise BasemapError(_("タイルが1枚も入っていません。"))
    minzoom, maxzoom = _zoom(meta.get("minzoom"), low), _zoom(meta.get("maxzoom"), high)
    if not 0 <= minzoom <= maxzoom <= MAX_ZOOM:
        raise BasemapError(_("ズームレベルが正しくありません（最小 %(min)s、最大 %(max)s）。") % {
            "min": minzoom, "max": maxzoom})
    stat = path.stat()
    return Basemap(path=path, which=which, name=str(meta.get("name") or path.stem)[:80], format=fmt,
                   minzoom=minzoom, maxzoom=maxzoom, bounds=parse_bounds(meta.get("bounds")), tile_count=count,
                   attribution=str(meta.get("attribution") or ""), version=f"{stat.st_mtime_ns:x}{stat.st_size:x}")


def _zoom(value, fallback) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        if fallback is None:
            raise BasemapError(_("ズームレベルがわかりません。")) from None
        return int(fallback)


def parse_bounds(text) -> tuple[float, float, float, float] | None:
    """The metadata's "west,south,east,north" in degrees; None when it says nothing."""
    if text is None or not str(text).strip():
        return None
    try:
        west, south, east, north = (float(part) for part in str(text).split(","))
    except ValueError:
        raise BasemapError(_("範囲（bounds）が読めません: %(bounds)s") % {"bounds": text}) from None
    if not (-180 <= west < east <= 180 and -85.06 <= south < north <= 85.06):
        raise BasemapError(_("範囲（bounds）が正しくありません: %(bounds)s") % {"bounds": text})
    return west, south, east, north


def configured_path() -> Path | None:
    """The centre's own file: TILE_MBTILES when set, else the one load_basemap placed under var/."""
    if settings.TILE_MBTILES:
        return Path(settings.TILE_MBTILES)
    placed = basemap_dir() / LOADED_NAME
    return placed if placed.exists() else None


class _Files:
    """Each served file read once (again when it changes), with one read-only connection per thread: sqlite3
    connections are not shared between the threads that serve requests."""

    def __init__(self):
        self._lock = threading.Lock()
        self._maps: dict[tuple[Path, int, int], Basemap | None] = {}  # None: that version cannot be used
        self._local = threading.local()

    def get(self, path: Path | None, which: str) -> Basemap | None:
        if path is None:
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if key in self._maps:
                return self._maps[key]
        try:
            found = read_basemap(path, which=which)
        except BasemapError as err:
            log.warning("base map %s not used: %s", path, err)  # once per version of the file, not per page
            found = None
        with self._lock:
            self._maps = {k: v for k, v in self._maps.items() if k[0] != path} | {key: found}
        return found

    def tile(self, basemap: Basemap, z: int, x: int, y: int) -> bytes | None:
        connections = getattr(self._local, "connections", None)
        if connections is None:
            connections = self._local.connections = {}
        key = (basemap.path, basemap.version)
        db = connections.get(key)
        if db is None:
            for old in [k for k in connections if k[0] == basemap.path]:
                connections.pop(old).close()
            db = connections[key] = _connect(basemap.path)
        row = db.execute("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                         (z, x, (1 << z) - 1 - y)).fetchone()  # MBTiles rows count from the south (TMS)
        return bytes(row[0]) if row else None


_files = _Files()


def loaded() -> Basemap | None:
    """The centre's own base map, if a usable file is set or loaded."""
    return _files.get(configured_path(), "basemap")


def demo() -> Basemap | None:
    """The demo's drawn grid (make run, DEMO=1): shown only when the tile server cannot be reached."""
    return _files.get(basemap_dir() / DEMO_NAME, "demo")


def by_name(which: str) -> Basemap | None:
    return {"basemap": loaded, "demo": demo}.get(which, lambda: None)()


def tile(basemap: Basemap, z: int, x: int, y: int) -> bytes | None:
    """The tile at XYZ (z, x, y) as Leaflet asks for it, or None."""
    if not basemap.minzoom <= z <= basemap.maxzoom or not (0 <= x < (1 << z) and 0 <= y < (1 << z)):
        return None
    return _files.tile(basemap, z, x, y)


def _layer(basemap: Basemap) -> dict:
    url = reverse("mapping:tile", kwargs={"which": basemap.which, "z": 0, "x": 0, "y": 0, "ext": basemap.extension})
    return {"url": url.replace("/0/0/0.", "/{z}/{x}/{y}.") + f"?v={basemap.version}",
            "attribution": basemap.attribution, "minZoom": basemap.minzoom, "maxZoom": basemap.maxzoom,
            "bounds": basemap.bounds}


def source() -> dict:
    """What every map draws under its points: kind ("local", "server", "none"), its layer and its label."""
    own = loaded()
    if own is not None:
        return {"kind": "local", "label": own.label(), "layer": _layer(own), "fallback": None}
    if settings.TILE_URL:
        fallback = demo()
        return {"kind": "server", "label": _("背景地図: タイルサーバー"),
                "layer": {"url": settings.TILE_URL, "attribution": settings.TILE_ATTRIBUTION, "minZoom": 0,
                          "maxZoom": 18, "bounds": None},
                "fallback": fallback and {**_layer(fallback), "label": _(
                    "背景地図: デモ用の方眼（実際の地図ではありません。タイルサーバーに接続できません）")}}
    return {"kind": "none", "label": _("背景地図なし（位置は正しく表示されます）"), "layer": None, "fallback": None}
