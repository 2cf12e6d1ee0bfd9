"""The import reads no more of a file than its limits allow (issue 17: a 700 kB XLSX whose rows reached far
to the right took 45 s and 320 MB before its row limit was even checked). The declared size is refused before
the rows are read; rows are streamed and reading stops at the row limit."""
import csv
import io
import time
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from ops.centres.models import Role
from ops.needs.services import importing

pytestmark = pytest.mark.django_db


def sheet_xlsx(rows: int, *, far: str | None = None, dimension: str | None = None) -> bytes:
    """A workbook whose sheet is written by hand: `rows` cards (name, address), each with a 1 in column `far`
    if given; the <dimension> is `dimension`, or the true one."""
    out = io.BytesIO()
    Workbook().save(out)
    cells = ['<row r="1"><c r="A1" t="inlineStr"><is><t>氏名</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>住所</t></is></c></row>']
    for r in range(2, rows + 2):
        extra = f'<c r="{far}{r}"><v>1</v></c>' if far else ""
        cells.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>住民 {r}</t></is></c>'
                     f'<c r="B{r}" t="inlineStr"><is><t>テスト市{r}</t></is></c>{extra}</row>')
    ref = dimension or f"A1:{far or 'B'}{rows + 1}"
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="{ref}"/><sheetData>{"".join(cells)}</sheetData></worksheet>')
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, sheet if item.filename == "xl/worksheets/sheet1.xml" else src.read(item))
    return result.getvalue()


def _timed(name, data):
    start = time.perf_counter()
    report = importing.read_rows(name, data)
    return report, time.perf_counter() - start


def test_a_sheet_declared_wider_than_any_card_is_refused_before_its_rows_are_read():
    report, seconds = _timed("cards.xlsx", sheet_xlsx(2500, far="XFD"))
    assert not report.ok and not report.rows
    assert "列" in report.file_errors[0] and str(importing.MAX_COLUMNS) in report.file_errors[0]
    assert seconds < 2, f"{seconds:.1f} s"


def test_a_sheet_declared_longer_than_the_row_limit_is_refused_before_its_rows_are_read():
    report, seconds = _timed("cards.xlsx", sheet_xlsx(10, dimension="A1:B1048576"))
    assert len(report.file_errors) == 1 and f"{importing.MAX_DECLARED_ROWS}行" in report.file_errors[0]
    assert seconds < 2, f"{seconds:.1f} s"


def test_rows_past_the_limit_stop_the_reading_whatever_the_dimension_says(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 50)
    read = []
    real = importing._cell
    monkeypatch.setattr(importing, "_cell", lambda v: read.append(v) or real(v))
    report = importing.read_rows("cards.xlsx", sheet_xlsx(5000, far="XFD", dimension="A1:B2"))
    assert report.file_errors == ["一度に取り込めるのは50行までです。"]
    assert len(read) < 60 * importing.MAX_COLUMNS, len(read)  # a row's cells are read up to the widest card


def test_an_honest_file_at_the_row_limit_is_read(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 300)
    report = importing.read_rows("cards.xlsx", sheet_xlsx(300))
    assert report.ok and len(report.rows) == 300


def test_a_csv_past_the_row_limit_or_with_a_giant_cell_is_refused_clearly(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 50)
    out = io.StringIO()
    csv.writer(out).writerows([["氏名", "住所"], *[[f"住民 {i}", "テスト市"] for i in range(60)]])
    assert importing.read_rows("cards.csv", out.getvalue().encode()).file_errors == ["一度に取り込めるのは50行までです。"]
    giant = "氏名,住所\n山田," + "あ" * 200_000 + "\n"
    report = importing.read_rows("cards.csv", giant.encode())
    assert report.file_errors and not report.ok


def test_the_import_page_shows_the_refusal_as_a_form_error(client_as, centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = io.BytesIO(sheet_xlsx(2500, far="XFD"))
    upload.name = "cards.xlsx"
    response = client_as(Role.INTAKE).post(reverse("needs:import", kwargs={"centre": centre.slug}), {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{importing.MAX_COLUMNS}列" in body and "この内容で取り込む" not in body
    assert not (tmp_path / "needs-imports").exists()  # a refused file is not kept


def test_a_file_that_unzips_past_its_limit_is_refused_before_it_is_opened():
    data = io.BytesIO(sheet_xlsx(3))
    with zipfile.ZipFile(data, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (importing.MAX_UNZIPPED_BYTES + 1))
    report, seconds = _timed("cards.xlsx", data.getvalue())
    assert len(data.getvalue()) < 1024 * 1024 and "展開" in report.file_errors[0]
