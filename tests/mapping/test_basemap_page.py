"""The administrator's base map page, and every map page carrying the base map it shows."""
import html
import json
import re

import pytest
from django.urls import reverse

from ops.centres.models import Role
from tests.mapping.mbtiles import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    settings.TILE_MBTILES = str(build(tmp_path / "region.mbtiles", zooms=(1, 2),
                                      metadata={"name": "川端町 2026", "bounds": "138.1,36.6,138.3,36.7"}))


def page(client, centre):
    return client.get(reverse("mapping:basemap", kwargs={"centre": centre.slug}))


def test_the_administrator_sees_the_loaded_file(client_as, centre, loaded):
    body = page(client_as(Role.ADMIN), centre).content.decode()
    for words in ("背景地図: ローカルファイル（川端町 2026, z1–2）", "PNG", "z1–2", "138.1, 36.6, 138.3, 36.7", "20",
                  "テスト出典", "TILE_MBTILES"):
        assert words in body, words


def test_the_page_says_tile_server_or_none(client_as, centre, tmp_path, settings):
    settings.VAR_DIR, settings.TILE_MBTILES = tmp_path, ""
    settings.TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    client = client_as(Role.ADMIN)
    assert "背景地図: タイルサーバー" in page(client, centre).content.decode()
    settings.TILE_URL = ""
    assert "背景地図なし（位置は正しく表示されます）" in page(client, centre).content.decode()


def test_a_broken_file_is_named_with_its_problem(client_as, centre, tmp_path, settings):
    broken = tmp_path / "broken.mbtiles"
    broken.write_text("nope")
    settings.VAR_DIR, settings.TILE_MBTILES = tmp_path, str(broken)
    body = page(client_as(Role.ADMIN), centre).content.decode()
    assert "は使えません" in body and "MBTiles（SQLite）として読めません" in body


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.INTAKE, Role.VIEWER])
def test_only_the_centre_administrator_opens_it(client_as, centre, role):
    assert page(client_as(role), centre).status_code == 403


def basemap_of(body: str, map_id: str) -> dict:
    match = re.search(rf'id="{map_id}"[^>]*data-basemap="([^"]*)"', body)
    assert match, map_id
    return json.loads(html.unescape(match.group(1)))


def test_every_map_page_carries_the_local_layer_zooms_and_bounds(client_as, centre, loaded):
    client = client_as(Role.ADMIN)
    pages = {reverse("mapping:board", kwargs={"centre": centre.slug}): "map",
             reverse("needs:new", kwargs={"centre": centre.slug}): "intake-map",
             reverse("centre_settings", kwargs={"centre": centre.slug}): "centre-map",
             reverse("boards:staff", kwargs={"centre": centre.slug}): "board-map"}
    for url, map_id in pages.items():
        source = basemap_of(client.get(url).content.decode(), map_id)
        assert source["kind"] == "local", url
        assert source["label"] == "背景地図: ローカルファイル（川端町 2026, z1–2）"
        assert source["layer"]["url"].startswith("/tiles/basemap/{z}/{x}/{y}.png?v=")
        assert (source["layer"]["minZoom"], source["layer"]["maxZoom"]) == (1, 2)
        assert source["layer"]["bounds"] == [138.1, 36.6, 138.3, 36.7]


def test_english_pages_say_it_in_english(client_as, centre, loaded):
    client = client_as(Role.ADMIN)
    body = client.get(reverse("mapping:board", kwargs={"centre": centre.slug}), HTTP_ACCEPT_LANGUAGE="en").content
    assert basemap_of(body.decode(), "map")["label"] == "Base map: local file (川端町 2026, z1–2)"
