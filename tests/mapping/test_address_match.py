"""A typed address meets its row in the reference data however it is written: kanji and full-width numerals,
丁目・番・号 and every dash, 大字/字, ヶ/ケ/が, with or without prefecture and municipality (the centre's own first),
and each answer says how far it matched (mapping.addresses.match)."""
import io

import pytest

from mapping.addresses import geocode
from mapping.addresses.importer import import_file
from mapping.addresses.match import geocode_local
from tests.mapping.address_files import (
    NEIGHBOUR_BLOCKS,
    TEST_CITY_BLOCKS,
    TEST_CITY_TOWNS,
    csv_bytes,
    town_csv,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    import_file(io.BytesIO(csv_bytes(TEST_CITY_BLOCKS + NEIGHBOUR_BLOCKS)), "20999.csv")
    import_file(io.BytesIO(town_csv(TEST_CITY_TOWNS)), "20999_town.csv")


CHUO_1_12 = (36.6512, 138.1812)  # the representative point, not the other row of the same block
TRICKY = [
    # (typed, level, position, label contains)
    ("長野県テスト市中央1丁目12番5号", "block", CHUO_1_12, "中央一丁目 12"),
    ("テスト市中央１－１２－５", "block", CHUO_1_12, None),
    ("テスト市中央一丁目十二番五号", "block", CHUO_1_12, None),
    ("テスト市中央一丁目12-5", "block", CHUO_1_12, None),
    ("テスト市中央1丁目12-5", "block", CHUO_1_12, None),
    ("テスト市中央1ー12ー5", "block", CHUO_1_12, None),  # long-vowel mark from a kana keyboard
    ("テスト市中央1‐12‐5", "block", CHUO_1_12, None),  # U+2010
    ("テスト市中央1−12−5", "block", CHUO_1_12, None),  # minus sign
    ("テスト市中央1―12―5", "block", CHUO_1_12, None),  # horizontal bar
    ("テスト市 中央 1-12-5", "block", CHUO_1_12, None),
    ("ﾃｽﾄ市中央1-12-5", "block", CHUO_1_12, None),  # half-width kana
    ("テスト市中央一丁目十二番地の五", "block", CHUO_1_12, None),
    ("中央1-12-5", "block", CHUO_1_12, "テスト市"),  # no municipality: the centre's own first
    ("長野県中央1-12-5", "block", CHUO_1_12, "テスト市"),
    ("テスト市中央2-12", "block", (36.6522, 138.1822), "中央二丁目"),
    ("テスト市中央12-1", "block", (36.6621, 138.1921), "中央十二丁目"),  # not 中央一丁目 block 2
    ("テスト市中央1-3", "block", (36.6503, 138.1803), None),
    ("テスト市川端町5番地3", "block", (36.6455, 138.1905), "川端町"),
    ("テスト市川端町５－３", "block", (36.6455, 138.1905), None),
    ("テスト市大字若宮字北原123番地", "block", (36.64, 138.17), "若宮字北原"),
    ("テスト市若宮123", "block", (36.64, 138.17), None),
    ("テスト市大字若宮123番地", "block", (36.64, 138.17), None),
    ("テスト市桜ヶ丘3-7", "block", (36.6707, 138.1707), None),
    ("テスト市桜ケ丘3-7", "block", (36.6707, 138.1707), None),
    ("テスト市桜が丘三丁目7番", "block", (36.6707, 138.1707), None),
    ("テスト市三の輪2", "block", (36.6302, 138.1602), "三ノ輪"),
    ("テスト市中央1-99-1", "town", (36.651, 138.181), "中央一丁目"),  # no such block: the town's point
    ("テスト市中央一丁目", "town", (36.651, 138.181), None),
    ("テスト市新田4-5", "town", (36.66, 138.20), "新田"),  # town-level file only
    ("テスト市川端町99", "town", (36.6455, 138.1905), "川端町"),  # block file only: its blocks' centre
    ("隣町駅前4", "block", (36.7104, 138.2904), "北安曇郡隣町"),  # 郡 left out
    ("北安曇郡隣町中央1-12", "block", (36.7012, 138.2812), None),
    ("長野県北安曇郡隣町駅前4番地", "block", (36.7104, 138.2904), None),
]


@pytest.mark.parametrize(("typed", "level", "position", "label"), TRICKY)
def test_tricky_addresses(loaded, typed, level, position, label):
    best = geocode_local(typed, home_city="テスト市")[0]
    assert best.level == level
    assert (round(best.lat, 4), round(best.lng, 4)) == pytest.approx(position, abs=2e-4)
    if label:
        assert label in best.label


def test_a_town_typed_without_its_chome_offers_each_chome(loaded):
    found = geocode_local("テスト市中央", home_city="テスト市")
    assert [c.level for c in found] == ["town"] * 3
    assert [c.label for c in found] == ["長野県テスト市中央一丁目", "長野県テスト市中央二丁目", "長野県テスト市中央十二丁目"]


def test_an_unknown_town_in_a_known_city_gives_the_city_only(loaded):
    found = geocode_local("テスト市存在しない町5-5", home_city="テスト市")
    assert [(c.level, c.confidence) for c in found] == [("city", "市区町村のみ（位置は市区町村の中心）")]


def test_a_town_in_two_municipalities_puts_the_centres_first(loaded):
    mine = geocode_local("中央1-12", home_city="テスト市")
    theirs = geocode_local("中央1-12", home_city="北安曇郡隣町")
    assert [c.label for c in mine] == ["長野県テスト市中央一丁目 12", "長野県北安曇郡隣町中央一丁目 12"]
    assert [c.label for c in theirs] == list(reversed([c.label for c in mine]))


@pytest.mark.parametrize("typed", ["", "   ", "東京都千代田区霞が関1-2-1", "どこか遠く", "12-5"])
def test_what_the_data_does_not_hold_is_not_found(loaded, typed):
    assert geocode(typed, home_city="テスト市") == {"results": [], "source": "none"}


def test_confidence_is_in_words_in_the_users_language(loaded):
    from django.utils import translation

    with translation.override("en"):
        answer = geocode("テスト市中央1-12-5", home_city="テスト市")
    assert answer["source"] == "local"
    assert answer["results"][0]["confidence"] == "Matched to the block or lot number"
    assert set(answer["results"][0]) == {"lat", "lng", "label", "level", "confidence"}
