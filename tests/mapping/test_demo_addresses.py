"""The demo (`make run`) loads a made-up 位置参照情報 file for its city through the real importer, and the
season's residents live in its districts: every demo need's address is found to the block, near where the
season puts that district."""
import random

import pytest

from mapping.addresses.match import geocode_local
from mapping.geo import haversine_m
from mapping.models import AddressImport
from ops.centres import demo
from ops.season.cast import resident

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_address_data_and_every_resident_is_found_to_the_block(db):
    centre = demo.centre_and_staff(demo.date(2026, 7, 1))
    loaded = AddressImport.objects.get()
    assert (loaded.prefecture, loaded.city, loaded.level, loaded.rows, loaded.actor) == (
        "長野県", "デモ市", "block", 6 * 5 * 30, "demo")
    rng = random.Random(7)
    for n in range(60):
        person = resident(rng, centre, n)
        best = geocode_local(person.address, home_city=centre.municipality)[0]
        assert best.level == "block", person.address
        assert haversine_m(best.lat, best.lng, person.lat, person.lng) < 1500, person.address


def test_seeding_again_imports_nothing_twice(db):
    centre = demo.centre_and_staff(demo.date(2026, 7, 1))
    first = AddressImport.objects.get()
    demo.load_demo_addresses(centre)
    assert list(AddressImport.objects.all()) == [first]


def test_the_demo_file_is_in_the_official_layout_and_encoding(db):
    centre = demo.centre_and_staff(demo.date(2026, 7, 1))
    text = demo.demo_address_file(centre).decode("cp932")
    assert text.splitlines()[0] == ('"都道府県名","市区町村名","大字・丁目名","小字・通称名","街区符号・地番","座標系番号",'
                                    '"Ｘ座標","Ｙ座標","緯度","経度","住居表示フラグ","代表フラグ","更新前履歴フラグ",'
                                    '"更新後履歴フラグ"')
    assert text.splitlines()[1].startswith('"長野県","デモ市","中央一丁目","","1","8"')
