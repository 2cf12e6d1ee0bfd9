"""Small 位置参照情報 files in the official layout (the download service's quoted cp932 CSV, optionally zipped)
for the address tests."""
import csv
import io
import zipfile

from mapping.addresses.importer import BLOCK_COLUMNS, TOWN_COLUMNS

PREF = "長野県"


def block_row(city, town, block, lat, lng, *, koaza="", pref=PREF, representative="1"):
    return [pref, city, town, koaza, block, "8", "-12345.6", "34567.8", f"{lat:.6f}", f"{lng:.6f}", "1",
            representative, "0", "0"]


def town_row(city, town, lat, lng, *, pref=PREF):
    return ["20", pref, "20999", city, "209990001000", town, f"{lat:.6f}", f"{lng:.6f}", "1", "3"]


def csv_bytes(rows, *, header=BLOCK_COLUMNS, encoding="cp932", bom=False) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows([header, *rows])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def town_csv(rows, **kw) -> bytes:
    return csv_bytes(rows, header=TOWN_COLUMNS, **kw)


def zipped(*members: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


# テスト市 and its neighbour 隣町 (a 郡 town): a few towns whose spellings the matcher must read.
TEST_CITY_BLOCKS = [
    block_row("テスト市", "中央一丁目", "12", 36.6512, 138.1812),
    block_row("テスト市", "中央一丁目", "12", 36.6599, 138.1899, representative="0"),
    block_row("テスト市", "中央一丁目", "3", 36.6503, 138.1803),
    block_row("テスト市", "中央二丁目", "12", 36.6522, 138.1822),
    block_row("テスト市", "中央十二丁目", "1", 36.6621, 138.1921),
    block_row("テスト市", "川端町", "5", 36.6455, 138.1905),
    block_row("テスト市", "大字若宮", "123", 36.6400, 138.1700, koaza="字北原"),
    block_row("テスト市", "桜ヶ丘三丁目", "7", 36.6707, 138.1707),
    block_row("テスト市", "三ノ輪", "2", 36.6302, 138.1602),
]
TEST_CITY_TOWNS = [
    town_row("テスト市", "中央一丁目", 36.6510, 138.1810),
    town_row("テスト市", "新田", 36.6600, 138.2000),
]
NEIGHBOUR_BLOCKS = [
    block_row("北安曇郡隣町", "中央一丁目", "12", 36.7012, 138.2812),
    block_row("北安曇郡隣町", "駅前", "4", 36.7104, 138.2904),
]
