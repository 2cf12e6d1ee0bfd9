"""The demo's stand-in for a base map: plain tiles with a grid, coordinates and a label saying it is no real map,
drawn with Pillow for the area around the demo's centres, so a newcomer on a LAN without internet still sees
where things are. A real centre loads a real map (load_basemap FILE)."""
import io
import math
import sqlite3
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")  # Debian's fonts-ipaexfont-gothic
MIN_ZOOM, MAX_ZOOM = 10, 15  # the map enlarges z15 for closer looks (mapping.tiles.OVERZOOM)
LABEL = "デモ用の背景地図（実際の地図ではありません）"


def tile_xy(lat: float, lng: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point (Web Mercator, as Leaflet numbers them)."""
    n = 1 << z
    x = int((lng + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_corner(x: int, y: int, z: int) -> tuple[float, float]:
    """The north-west corner of a tile, in degrees."""
    n = 1 << z
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n)))), x / n * 360 - 180


def _font(size):
    try:
        return ImageFont.truetype(str(FONT), size)
    except OSError:
        return ImageFont.load_default()


def draw_tile(z: int, x: int, y: int) -> bytes:
    image = Image.new("RGB", (256, 256), (238, 242, 236) if (x + y) % 2 else (232, 238, 232))
    pen = ImageDraw.Draw(image)
    for i in range(0, 256, 64):  # a quarter-tile grid, then the tile's edge
        pen.line([(i, 0), (i, 255)], fill=(214, 222, 214))
        pen.line([(0, i), (255, i)], fill=(214, 222, 214))
    pen.rectangle([0, 0, 255, 255], outline=(150, 165, 150))
    lat, lng = tile_corner(x, y, z)
    pen.text((6, 4), f"{lat:.4f}N {lng:.4f}E", fill=(80, 95, 80), font=_font(13))
    for row, words in enumerate(("デモ用の背景地図", "実際の地図ではありません", "DEMO - not a real map")):
        pen.text((6, 104 + row * 17), words, fill=(120, 130, 120), font=_font(12))
    pen.text((6, 238), f"z{z}/{x}/{y}", fill=(150, 160, 150), font=_font(11))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def write_demo(path: Path, *, west: float, south: float, east: float, north: float) -> int:
    """Write the demo MBTiles for this box (zoom 10 to 15) to `path`; returns the number of tiles."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    count = 0
    with sqlite3.connect(partial) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        db.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)", [
            ("name", LABEL), ("format", "png"), ("type", "baselayer"), ("version", "1"),
            ("minzoom", str(MIN_ZOOM)), ("maxzoom", str(MAX_ZOOM)),
            ("bounds", f"{west:.5f},{south:.5f},{east:.5f},{north:.5f}"),
            ("attribution", LABEL), ("description", "make run (DEMO=1): drawn by mapping/demo_basemap.py"),
        ])
        for z in range(MIN_ZOOM, MAX_ZOOM + 1):
            x0, y0 = tile_xy(north, west, z)
            x1, y1 = tile_xy(south, east, z)
            for x in range(x0, x1 + 1):
                for y in range(y0, y1 + 1):
                    db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, draw_tile(z, x, y)))
                    count += 1
    partial.replace(path)
    return count
