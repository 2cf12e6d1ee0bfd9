"""Small MBTiles files built in the test: sqlite3 and Pillow, rows in TMS order (y counted from the south),
each tile a flat colour that encodes its XYZ address, so a test can tell which tile it was served."""
import io
import sqlite3
from pathlib import Path

from PIL import Image


def colour(z: int, x: int, y: int) -> tuple[int, int, int]:
    return (30 * z % 256, (5 + 30 * x) % 256, (5 + 30 * y) % 256)  # distinct up to zoom 3


def image(z: int, x: int, y: int, fmt: str = "png") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), colour(z, x, y)).save(out, {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}[fmt])
    return out.getvalue()


def build(path: Path, *, fmt: str = "png", zooms=(1, 2), metadata: dict | None = None, tile_data=None) -> Path:
    """An MBTiles at `path` holding every tile of `zooms` (XYZ x, y stored at TMS row 2**z - 1 - y)."""
    meta = {"name": "テスト地図", "format": fmt, "minzoom": str(min(zooms)), "maxzoom": str(max(zooms)),
            "bounds": "-180,-85,180,85", "attribution": "テスト出典"} | (metadata or {})
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)", [(k, v) for k, v in meta.items() if v is not None])
        for z in zooms:
            for x in range(2 ** z):
                for y in range(2 ** z):
                    data = tile_data if tile_data is not None else image(z, x, y, fmt)
                    db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, 2 ** z - 1 - y, data))
    db.close()
    return path


def pixel(data: bytes) -> tuple[int, int, int]:
    return Image.open(io.BytesIO(data)).convert("RGB").getpixel((128, 128))
