"""The app serves an MBTiles file's tiles itself: XYZ addresses read from TMS rows, the format's content type,
caching, 404 for what the file does not have, and nothing from the URL reaching the file system."""
import threading

import pytest
from django.test import override_settings

from mapping import tiles
from tests.mapping.mbtiles import build, colour, pixel

pytestmark = pytest.mark.django_db


@pytest.fixture
def basemap(tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    settings.TILE_MBTILES = str(build(tmp_path / "town.mbtiles"))
    return settings.TILE_MBTILES


def test_a_tile_is_read_from_its_tms_row(client, basemap):
    for z, x, y in ((1, 0, 0), (1, 0, 1), (2, 3, 0), (2, 1, 2)):
        response = client.get(f"/tiles/basemap/{z}/{x}/{y}.png")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert pixel(response.content) == colour(z, x, y), (z, x, y)


def test_tiles_are_cached_by_version_and_revalidated_by_etag(client, basemap):
    response = client.get("/tiles/basemap/1/1/1.png")
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    again = client.get("/tiles/basemap/1/1/1.png", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    other = client.get("/tiles/basemap/1/0/1.png", HTTP_IF_NONE_MATCH=response["ETag"])
    assert other.status_code == 200


@pytest.mark.parametrize("fmt,content_type", [("jpg", "image/jpeg"), ("webp", "image/webp")])
def test_the_content_type_follows_the_metadata_format(client, tmp_path, settings, fmt, content_type):
    settings.TILE_MBTILES = str(build(tmp_path / f"town-{fmt}.mbtiles", fmt=fmt, zooms=(1,)))
    response = client.get(f"/tiles/basemap/1/1/0.{fmt}")
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert client.get("/tiles/basemap/1/1/0.png").status_code == 404  # not this file's format


@pytest.mark.parametrize("path", [
    "/tiles/basemap/3/0/0.png",  # a zoom the file does not have
    "/tiles/basemap/0/0/0.png",
    "/tiles/basemap/1/2/0.png",  # past the edge of zoom 1
    "/tiles/basemap/1/0/-1.png",
    "/tiles/basemap/1/0/0.pbf",
    "/tiles/other/1/0/0.png",
    "/tiles/demo/1/0/0.png",  # no demo grid drawn here
    "/tiles/basemap/1/0/../../../../etc/passwd",
    "/tiles/basemap/1/0/..%2F..%2Fsecret.png",
    "/tiles/%2e%2e/1/0/0.png",
    "/tiles/basemap/1/0/0.png%00",
    "/tiles/basemap/99999999999999999999/0/0.png",
])
def test_what_the_file_does_not_have_is_a_404(client, basemap, path):
    assert client.get(path).status_code in (400, 404)


def test_without_a_file_every_tile_is_a_404(client, tmp_path, settings):
    settings.VAR_DIR, settings.TILE_MBTILES = tmp_path, ""
    assert client.get("/tiles/basemap/1/0/0.png").status_code == 404


def test_a_broken_file_is_not_served_and_the_maps_fall_back(client, tmp_path, settings):
    broken = tmp_path / "broken.mbtiles"
    broken.write_bytes(b"not sqlite at all" * 100)
    settings.VAR_DIR, settings.TILE_MBTILES, settings.TILE_URL = tmp_path, str(broken), "https://t.example/{z}/{x}/{y}.png"
    assert client.get("/tiles/basemap/1/0/0.png").status_code == 404
    assert tiles.source()["kind"] == "server"


def test_a_replaced_file_is_served_at_its_new_version(client, basemap, tmp_path):
    first = tiles.source()["layer"]["url"]
    assert client.get("/tiles/basemap/1/0/0.png").status_code == 200
    build(tmp_path / "new.mbtiles", zooms=(3,), metadata={"name": "新しい地図"}).replace(basemap)
    assert client.get("/tiles/basemap/1/0/0.png").status_code == 404
    assert pixel(client.get("/tiles/basemap/3/5/2.png").content) == colour(3, 5, 2)
    assert tiles.source()["layer"]["url"] != first


def test_tiles_are_read_from_many_threads_at_once(basemap):
    found, errors = [], []
    basemap_now = tiles.loaded()

    def read():
        try:
            for _ in range(50):
                for x in range(4):
                    found.append(pixel(tiles.tile(basemap_now, 2, x, 3)) == colour(2, x, 3))
        except Exception as err:  # noqa: BLE001 (any failure in a thread is the test's finding)
            errors.append(err)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(found) == 8 * 200 and all(found)


@override_settings(TILE_MBTILES="")
def test_the_source_says_which_base_map_every_map_shows(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    settings.TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    assert tiles.source()["label"] == "背景地図: タイルサーバー"
    assert tiles.source()["fallback"] is None
    settings.TILE_URL = ""
    assert tiles.source() == {"kind": "none", "label": "背景地図なし（位置は正しく表示されます）", "layer": None,
                              "fallback": None}
    settings.TILE_MBTILES = str(build(tmp_path / "t.mbtiles", metadata={"minzoom": "8", "maxzoom": "9",
                                                                     "bounds": "138,36,138.5,36.9"}))
    source = tiles.source()
    assert source["label"] == "背景地図: ローカルファイル（テスト地図, z8–9）"
    assert source["layer"]["url"].startswith("/tiles/basemap/{z}/{x}/{y}.png?v=")
    assert (source["layer"]["minZoom"], source["layer"]["maxZoom"]) == (8, 9)
    assert source["layer"]["bounds"] == (138.0, 36.0, 138.5, 36.9)


def test_the_demo_grid_is_only_a_fallback_for_the_tile_server(client, tmp_path, settings):
    from mapping import demo_basemap

    settings.VAR_DIR, settings.TILE_MBTILES = tmp_path, ""
    settings.TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    demo_basemap.write_demo(tmp_path / "basemap" / "demo.mbtiles", west=138.17, south=36.64, east=138.19, north=36.66)
    source = tiles.source()
    assert source["kind"] == "server" and source["layer"]["url"] == settings.TILE_URL
    assert source["fallback"]["url"].startswith("/tiles/demo/{z}/{x}/{y}.png?v=")
    assert "デモ用の方眼（実際の地図ではありません" in source["fallback"]["label"]
    x, y = demo_basemap.tile_xy(36.65, 138.18, 14)
    response = client.get(f"/tiles/demo/14/{x}/{y}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    settings.TILE_MBTILES = str(build(tmp_path / "own.mbtiles"))
    assert tiles.source()["kind"] == "local" and tiles.source()["fallback"] is None
