"""位置参照情報 files in the official layout are imported as published (cp932 CSV in a zip) or as UTF-8 with or
without BOM; a municipality imported again replaces its rows; a wrong file says what is wrong, in words, and
saves nothing; the administrators' page and the command import the same way (mapping.addresses.importer)."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from mapping.addresses.importer import BLOCK_COLUMNS, AddressFileError, import_file
from mapping.addresses.match import geocode_local
from mapping.models import AddressImport, AddressPoint
from ops.centres.models import Role
from tests.mapping.address_files import (
    NEIGHBOUR_BLOCKS,
    TEST_CITY_BLOCKS,
    TEST_CITY_TOWNS,
    block_row,
    csv_bytes,
    town_csv,
    zipped,
)

pytestmark = pytest.mark.django_db


def counts():
    return {(i.city, i.level): i.rows for i in AddressImport.objects.all()}


@pytest.mark.parametrize("data", [
    csv_bytes(TEST_CITY_BLOCKS + NEIGHBOUR_BLOCKS),
    csv_bytes(TEST_CITY_BLOCKS + NEIGHBOUR_BLOCKS, encoding="utf-8"),
    csv_bytes(TEST_CITY_BLOCKS + NEIGHBOUR_BLOCKS, encoding="utf-8", bom=True),
    zipped(("20000-21.0a/20_2022.csv", csv_bytes(TEST_CITY_BLOCKS + NEIGHBOUR_BLOCKS))),
], ids=["cp932", "utf8", "utf8-bom", "zip"])
def test_block_files_in_each_encoding_and_wrapping(data):
    import_file(io.BytesIO(data), "20000.zip")
    assert counts() == {("テスト市", "block"): 9, ("北安曇郡隣町", "block"): 2}
    point = AddressPoint.objects.get(town="桜ヶ丘三丁目")
    assert (point.town_key, point.block_key, point.lat, point.lng) == ("桜ケ丘3", "7", 36.6707, 138.1707)


def test_a_zip_with_both_levels_and_a_readme():
    data = zipped(("readme.txt", b"x"), ("block.csv", csv_bytes(TEST_CITY_BLOCKS)),
                  ("town.CSV", town_csv(TEST_CITY_TOWNS)))
    import_file(io.BytesIO(data), "both.zip")
    assert counts() == {("テスト市", "block"): 9, ("テスト市", "town"): 2}


def test_importing_a_municipality_again_replaces_its_rows_only():
    import_file(io.BytesIO(csv_bytes(TEST_CITY_BLOCKS + NEIGHBOUR_BLOCKS)), "first.csv")
    import_file(io.BytesIO(csv_bytes([block_row("テスト市", "新町", "1", 36.6, 138.1)])), "second.csv")
    assert counts() == {("テスト市", "block"): 1, ("北安曇郡隣町", "block"): 2}
    assert set(AddressPoint.objects.filter(source__city="テスト市").values_list("town", flat=True)) == {"新町"}
    assert AddressImport.objects.get(city="テスト市").file_name == "second.csv"


def _refused(data, name="bad.csv") -> str:
    import_file(io.BytesIO(csv_bytes(TEST_CITY_BLOCKS)), "kept.csv")
    with pytest.raises(AddressFileError) as err:
        import_file(io.BytesIO(data), name)
    assert counts() == {("テスト市", "block"): 9}  # nothing of the bad file, and the loaded data kept
    return str(err.value)


def test_missing_columns_are_named():
    header = [c for c in BLOCK_COLUMNS if c not in ("緯度", "経度")]
    message = _refused(csv_bytes([r[:8] + r[10:] for r in TEST_CITY_BLOCKS], header=header))
    assert "ない列: 緯度、経度" in message and "街区レベル" in message


def test_a_file_of_another_kind_is_refused_with_its_extra_columns():
    message = _refused(csv_bytes([["a", "b"]], header=("氏名", "住所")))
    assert "ない列:" in message and "余分な列: 氏名、住所" in message


@pytest.mark.parametrize("encoding", ["euc_jp", "utf-16", "iso2022_jp"])
def test_a_file_in_another_encoding_is_refused_in_words(encoding):
    assert "の文字を読み取れません" in _refused(csv_bytes(TEST_CITY_BLOCKS, encoding=encoding))


def test_a_broken_byte_further_down_says_where():
    data = csv_bytes(TEST_CITY_BLOCKS * 2000, encoding="utf-8")
    assert "文字を読み取れません" in _refused(data[:200_000] + b"\xff\xfe" + data[200_000:])


def test_a_bad_row_says_which_line():
    rows = [*TEST_CITY_BLOCKS[:3], block_row("テスト市", "中央", "1", 0, 0)[:-2]]
    assert "5行目の列の数が12個です（14個のはずです）" in _refused(csv_bytes(rows))
    rows = [*TEST_CITY_BLOCKS[:3], block_row("テスト市", "中央", "1", 0, 0)]
    rows[-1][8] = "北緯36度"
    assert "5行目の緯度・経度が数値ではありません" in _refused(csv_bytes(rows))


def test_an_empty_file_and_a_zip_without_csv_are_refused():
    assert "空のファイル" in _refused(b"")
    assert "住所の行がありません" in _refused(csv_bytes([]))
    assert "CSVファイルがありません" in _refused(zipped(("readme.txt", b"x")), "x.zip")


def test_the_command_imports_and_reports(tmp_path):
    path = tmp_path / "20000-21.0a.zip"
    path.write_bytes(zipped(("20_2022.csv", csv_bytes(TEST_CITY_BLOCKS))))
    out = io.StringIO()
    call_command("import_addresses", str(path), stdout=out)
    assert "長野県テスト市 (block): 9 rows" in out.getvalue()
    assert AddressImport.objects.get().actor == "system"
    (tmp_path / "bad.csv").write_bytes(b"x,y\n1,2\n")
    with pytest.raises(CommandError, match="列が位置参照情報の公式の様式"):
        call_command("import_addresses", str(tmp_path / "bad.csv"), stdout=out)


def test_the_page_imports_shows_what_is_loaded_and_explains_a_wrong_file(client_as, centre):
    client = client_as(Role.ADMIN)
    url = reverse("mapping:addresses", kwargs={"centre": centre.slug})
    upload = SimpleUploadedFile("20000.zip", zipped(("20_2022.csv", csv_bytes(TEST_CITY_BLOCKS))))
    page = client.post(url, {"file": upload}, follow=True)
    text = page.content.decode()
    assert "長野県テスト市（街区レベル）を9件取り込みました。" in text
    assert "20000.zip" in text and AddressImport.objects.get().imported_by.username in [
        u.username for u in type(AddressImport.objects.get().imported_by).objects.all()]
    assert geocode_local("テスト市中央1-12", home_city="テスト市")[0].level == "block"
    bad = client.post(url, {"file": SimpleUploadedFile("names.csv", "氏名,住所\n".encode("cp932"))})
    assert bad.status_code == 200
    assert "列が位置参照情報の公式の様式（大字・町丁目レベル）と違います" in bad.content.decode()
    assert AddressImport.objects.count() == 1


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.INTAKE, Role.VIEWER])
def test_only_administrators_import(client_as, centre, role):
    url = reverse("mapping:addresses", kwargs={"centre": centre.slug})
    upload = SimpleUploadedFile("a.csv", csv_bytes(TEST_CITY_BLOCKS))
    assert client_as(role).post(url, {"file": upload}).status_code == 403
    assert not AddressImport.objects.exists()
