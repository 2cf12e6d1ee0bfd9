"""`load_basemap FILE` checks an MBTiles file before every map uses it, and says what is wrong in words."""
import sqlite3

import pytest
from django.core.management import CommandError, call_command

from mapping import tiles
from tests.mapping.mbtiles import build, colour, pixel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var(tmp_path, settings):
    settings.VAR_DIR, settings.TILE_MBTILES = tmp_path / "var", ""
    return settings.VAR_DIR


def load(path, *args):
    call_command("load_basemap", str(path), *args)


def test_a_good_file_is_copied_under_var_and_served(client, tmp_path, var):
    source = build(tmp_path / "region.mbtiles", zooms=(1, 2))
    load(source)
    placed = var / "basemap" / "basemap.mbtiles"
    assert placed.is_file() and not placed.is_symlink()
    source.unlink()  # a copy: the original may go
    assert tiles.loaded().name == "テスト地図" and tiles.loaded().tile_count == 4 + 16
    assert pixel(client.get("/tiles/basemap/2/1/3.png").content) == colour(2, 1, 3)


def test_link_keeps_the_file_where_it_is(tmp_path, var):
    source = build(tmp_path / "region.mbtiles")
    load(source, "--link")
    assert (var / "basemap" / "basemap.mbtiles").resolve() == source.resolve()


def test_loading_again_replaces_the_map(tmp_path, var):
    load(build(tmp_path / "a.mbtiles", metadata={"name": "A"}))
    load(build(tmp_path / "b.mbtiles", metadata={"name": "B"}))
    assert tiles.loaded().name == "B"
    assert not list((var / "basemap").glob("*.partial"))


def make_bad(tmp_path, case):
    path = tmp_path / f"{case}.mbtiles"
    if case == "missing":
        return path
    if case == "not_sqlite":
        path.write_bytes(b"PK\x03\x04 a zip, not an MBTiles file" * 50)
    elif case == "no_metadata":
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data)")
        db.close()
    elif case == "vector":
        build(path, fmt="png", metadata={"format": "pbf"}, tile_data=b"\x1a\x03vector")
    elif case == "no_tiles":
        _empty(path)
    elif case == "bad_zooms":
        build(path, metadata={"minzoom": "12", "maxzoom": "8"})
    elif case == "bad_bounds":
        build(path, metadata={"bounds": "139,36,138,35"})
    elif case == "unreadable_bounds":
        build(path, metadata={"bounds": "somewhere in Nagano"})
    elif case == "png_that_is_not":
        build(path, tile_data=b"<html>tile server error page</html>")
    return path


def _empty(path):
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "空"), ("format", "png")])
    db.close()


@pytest.mark.parametrize("case,words", [
    ("missing", "ファイルがありません"),
    ("not_sqlite", "MBTiles（SQLite）として読めません"),
    ("no_metadata", "MBTiles（SQLite）として読めません"),
    ("vector", "タイルの形式「pbf」は使えません"),
    ("no_tiles", "タイルが1枚も入っていません"),
    ("bad_zooms", "ズームレベルが正しくありません"),
    ("bad_bounds", "範囲（bounds）が正しくありません"),
    ("unreadable_bounds", "範囲（bounds）が読めません"),
    ("png_that_is_not", "are not png images"),
])
def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_placed(tmp_path, var, case, words):
    with pytest.raises(CommandError, match=words):
        load(make_bad(tmp_path, case))
    assert not (var / "basemap" / "basemap.mbtiles").exists()
    assert tiles.loaded() is None


def test_a_bad_file_leaves_the_loaded_map_in_place(tmp_path, var):
    load(build(tmp_path / "good.mbtiles", metadata={"name": "使える地図"}))
    with pytest.raises(CommandError):
        load(make_bad(tmp_path, "vector"))
    assert tiles.loaded().name == "使える地図"


def test_warnings_name_missing_bounds_and_zooms_the_metadata_gets_wrong(tmp_path, capsys):
    load(build(tmp_path / "loose.mbtiles", zooms=(1, 2), metadata={"bounds": None, "maxzoom": "5"}))
    err = capsys.readouterr().err
    assert "no bounds" in err and "z1-5, the tiles are z1-2" in err


def test_the_demo_grid_covers_the_open_centres(var, centre):
    call_command("load_basemap", "--demo")
    demo = tiles.demo()
    west, south, east, north = demo.bounds
    assert west < centre.lng < east and south < centre.lat < north
    assert demo.format == "png" and demo.tile_count > 20 and "デモ" in demo.name
    assert tiles.loaded() is None  # never the centre's base map, only the fallback
