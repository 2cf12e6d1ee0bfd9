"""Place the centre's base map: check an MBTiles file (metadata, raster format, zooms, bounds, a tile that is
what it says) and copy or link it to var/basemap/, where every map finds it (mapping.tiles). `--demo` draws the
demo's stand-in grid instead (make run, DEMO=1)."""
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mapping import demo_basemap, tiles

# The first bytes of each raster format: a file that says png and holds vector tiles is refused here, not in
# every browser.
MAGIC = {"png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "webp": (b"RIFF",)}
DEMO_MARGIN_DEG = 0.05  # about 5 km around the demo's centres


class Command(BaseCommand):
    help = "Check an MBTiles file of raster tiles and make it the base map of every map (var/basemap/)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the .mbtiles file (raster tiles: png, jpg or webp)")
        parser.add_argument("--link", action="store_true", help="link to the file instead of copying it")
        parser.add_argument("--demo", action="store_true",
                            help="draw the demo's grid for the open centres' area (used when tiles are unreachable)")

    def handle(self, *args, file=None, link=False, demo=False, **options):
        if demo:
            return self.draw_demo()
        if not file:
            raise CommandError("name an .mbtiles file (or --demo)")
        source = Path(file).resolve()
        basemap = check(source)
        target = tiles.basemap_dir() / tiles.LOADED_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        if link:
            partial.symlink_to(source)
        else:
            shutil.copyfile(source, partial)
        os.replace(partial, target)  # atomic: a request reads the old file or the new one, never half of one
        where = "linked" if link else "copied"
        self.stdout.write(f"{where} to {target}: {basemap.name}, {basemap.format}, z{basemap.minzoom}-"
                          f"{basemap.maxzoom}, bounds {basemap.bounds or 'not given'}, {basemap.tile_count} tiles")
        if settings.TILE_MBTILES:
            self.stderr.write(f"note: TILE_MBTILES={settings.TILE_MBTILES} is set and wins over this file")
        for warning in warnings_for(basemap):
            self.stderr.write(f"warning: {warning}")

    def draw_demo(self):
        from ops.centres.models import Centre

        points = list(Centre.objects.real().exclude(status=Centre.Status.CLOSED).values_list("lat", "lng"))
        points = [(lat, lng) for lat, lng in points if lat is not None and lng is not None]
        if not points:
            points = [settings.LEAFLET_CONFIG["DEFAULT_CENTER"]]
        lats, lngs = [p[0] for p in points], [p[1] for p in points]
        target = tiles.basemap_dir() / tiles.DEMO_NAME
        count = demo_basemap.write_demo(target, west=min(lngs) - DEMO_MARGIN_DEG, south=min(lats) - DEMO_MARGIN_DEG,
                                        east=max(lngs) + DEMO_MARGIN_DEG, north=max(lats) + DEMO_MARGIN_DEG)
        self.stdout.write(f"demo grid: {count} tiles in {target} (shown only when the tile server is unreachable)")


def check(path: Path) -> tiles.Basemap:
    """The file's base map, or a CommandError saying what is wrong with it."""
    try:
        basemap = tiles.read_basemap(path)
    except tiles.BasemapError as err:
        raise CommandError(f"{path}: {err}") from None
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        first = db.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()[0]
    if not bytes(first[:12]).startswith(MAGIC[basemap.format]) or (
            basemap.format == "webp" and bytes(first[8:12]) != b"WEBP"):
        raise CommandError(f"{path}: the metadata says {basemap.format}, but the tiles are not {basemap.format} "
                           "images (vector tiles cannot be drawn by this map)")
    return basemap


def warnings_for(basemap: tiles.Basemap) -> list[str]:
    found = []
    if basemap.bounds is None:
        found.append("no bounds in the metadata: the maps will ask for tiles everywhere (404s outside the area)")
    with closing(sqlite3.connect(f"{basemap.path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        low, high = db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
    if (low, high) != (basemap.minzoom, basemap.maxzoom):
        found.append(f"the metadata says z{basemap.minzoom}-{basemap.maxzoom}, the tiles are z{low}-{high}")
    return found
