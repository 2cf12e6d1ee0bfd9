"""Bench: the needs import's dry run (ops.needs.services.importing.read_rows) on a hostile XLSX — a small file
whose rows reach far to the right (a cell in column XFD) and down, so a reader that pads every row to the
declared width or reads every row before the row limit spends seconds and hundreds of MB (issue 17: a 700 kB
file took 45 s and 320 MB). Also times an honest 2,000-row file for comparison.

Each measurement runs in a fresh child process, so its peak memory (ru_maxrss) is its own.

    uv run python bench/needs_import.py [--rows 3000 --last-column XFD]

Last line: {"bench": "needs_import", "file_bytes", "hostile_s", "hostile_peak_mb", "honest_s", "honest_peak_mb",
            "hostile_answer"}
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
import django
django.setup()
from ops.needs.services import importing
data = open(sys.argv[1], "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
report = importing.read_rows("cards.xlsx", data)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
answer = report.file_errors[0] if report.file_errors else f"{len(report.rows)} rows"
print(json.dumps({"s": round(seconds, 2), "peak_mb": round(peak / 1024, 1),
                  "grew_mb": round((peak - base) / 1024, 1), "answer": str(answer)}))
"""


def workbook(rows: int, last_column: str | None) -> bytes:
    """A real workbook (openpyxl) whose sheet XML is then replaced by `rows` rows written by hand: a name, an
    address and, if `last_column`, a 1 far to the right, with the dimension declaring that width."""
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    width = last_column or "B"
    body = ['<row r="1"><c r="A1" t="inlineStr"><is><t>氏名</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>住所</t></is></c></row>']
    for r in range(2, rows + 2):
        far = f'<c r="{last_column}{r}"><v>1</v></c>' if last_column else ""
        body.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>住民 {r}</t></is></c>'
                    f'<c r="B{r}" t="inlineStr"><is><t>テスト市{r}</t></is></c>{far}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="A1:{width}{rows + 1}"/><sheetData>{"".join(body)}</sheetData></worksheet>')
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            dst.writestr(item.filename, data)
    return result.getvalue()


def measure(data: bytes) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as fh:
        fh.write(data)
        fh.flush()
        env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:")}
        done = subprocess.run([sys.executable, "-c", CHILD, fh.name], capture_output=True, text=True, cwd=ROOT,
                              env=env, timeout=600, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--last-column", default="XFD")
    args = parser.parse_args()
    hostile = workbook(args.rows, args.last_column)
    honest = workbook(2000, None)
    print(f"hostile file: {len(hostile) / 1024:.0f} kB, {args.rows} rows reaching column {args.last_column}")
    bad = measure(hostile)
    print(f"  dry run: {bad['s']} s, peak {bad['peak_mb']} MB (+{bad['grew_mb']} MB) -> {bad['answer']}")
    good = measure(honest)
    print(f"honest file: {len(honest) / 1024:.0f} kB, 2000 rows")
    print(f"  dry run: {good['s']} s, peak {good['peak_mb']} MB (+{good['grew_mb']} MB) -> {good['answer']}")
    print(json.dumps({"bench": "needs_import", "file_bytes": len(hostile), "hostile_s": bad["s"],
                      "hostile_peak_mb": bad["peak_mb"], "honest_s": good["s"], "honest_peak_mb": good["peak_mb"],
                      "hostile_answer": bad["answer"]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
