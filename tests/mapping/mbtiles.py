"""Small MBTiles files built in the test: sqlite3 and Pillow, rows in TMS order (y counted from the south),
each tile a flat colour that encodes its XYZ address, so a test can tell which tile it was served."""
import io
import math
import sqlite3
from pathlib import Path

from PIL import Image


def colour(z: int, x: int, y: int) -> tuple[int, int, int]:
    return (30 * z % 256, (5 + 30 * x) % 256, (5 + 30 * y) % 256)  # distinct up to zoom 3


def image(z: int, x: int, y: int, fmt: str = "png") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), colour(z, x, y)).save(out, {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}[fmt])
    return out.getvalue()


def xyz(lat: float, lng: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point (Web Mercator)."""
    n = 2 ** z
    return int((lng + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def build(path: Path, *, fmt: str = "png", zooms=(1, 2), metadata: dict | None = None, tile_data=None,
          area: tuple[float, float, float, float] | None = None) -> Path:
    """An MBTiles at `path` holding every tile of `zooms` (XYZ x, y stored at TMS row 2**z - 1 - y), or only
    those over `area` (west, south, east, north)."""
    meta = {"name": "テスト地図", "format": fmt, "minzoom": str(min(zooms)), "maxzoom": str(max(zooms)),
            "bounds": "-180,-85,180,85", "attribution": "テスト出典"} | (metadata or {})
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)", [(k, v) for k, v in meta.items() if v is not None])
        for z in zooms:
            (x0, y0), (x1, y1) = ((xyz(area[3], area[0], z), xyz(area[1], area[2], z)) if area
                                  else ((0, 0), (2 ** z - 1, 2 ** z - 1)))
            for x in range(x0, x1 + 1):
                for y in range(y0, y1 + 1):
                    data = tile_data if tile_data is not None else image(z, x, y, fmt)
                    db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, 2 ** z - 1 - y, data))
    db.close()
    return path


def pixel(data: bytes) -> tuple[int, int, int]:
    return Image.open(io.BytesIO(data)).convert("RGB").getpixel((128, 128))
