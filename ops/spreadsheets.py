"""Every cell the system writes into a spreadsheet (XLSX or CSV) goes through here, so text typed by anyone
(a district at intake, a leader's notes, an imported card) is shown as text and never run as a formula.

XLSX: openpyxl stores a string starting with "=" as a formula (and "#N/A" as an error), so text cells are
written with the string type whatever they start with. CSV has no types: a cell starting with = + - @ tab or CR
gets a leading apostrophe (OWASP's advice for CSV injection), which Excel and LibreOffice show as text.
Control characters an XLSX cannot hold become U+FFFD instead of failing the whole report.
"""
from __future__ import annotations

import csv

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text(value: str) -> str:
    """The text as an XLSX can hold it: control characters replaced, nothing else changed."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def append_row(ws, values) -> None:
    """ws.append, with every str written as a string cell (never a formula or an error value). A write-only
    sheet (an export streamed to disk row by row) gets its string cells typed before they are written."""
    if isinstance(ws, WriteOnlyWorksheet):
        ws.append([_string_cell(ws, v) if isinstance(v, str) else v for v in values])
        return
    ws.append([text(v) if isinstance(v, str) else v for v in values])
    for cell, value in zip(ws[ws.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"


def _string_cell(ws, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text(value))
    cell.data_type = "s"
    return cell


def csv_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _InertWriter:
    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> _InertWriter:
    """csv.writer whose cells cannot start a formula."""
    return _InertWriter(out, **kwargs)
