"""Writing a dataset to a file and sending it. Rows are read from the database in chunks and written to a
temporary file on disk (XLSX through openpyxl's write-only mode, CSV as UTF-8 with a BOM and CRLF line ends,
which Excel opens in Japanese); the response streams that file in chunks, so a season's 6,300 needs or
20,000 attendances never sit in memory as a whole. Every cell goes through ops/spreadsheets.py."""
from __future__ import annotations

import io
import re
import tempfile

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from openpyxl import Workbook

from ops.drills import marking
from ops.exports.columns import CHUNK_ROWS, cells
from ops.spreadsheets import append_row, csv_writer

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
SEND_BYTES = 64 * 1024


def write(dataset, rows, *, fmt: str, sight, centre):
    """The dataset's rows as this role gets them, written to a temporary file. Returns (file at 0, rows)."""
    headers = [str(c.header) for c in dataset.columns_for(sight)]
    if isinstance(rows, QuerySet):
        rows = rows.iterator(chunk_size=CHUNK_ROWS)
    readers = dataset.readers_for(sight)
    drill = [marking.drill_row()] if marking.is_drill(centre) else []  # 訓練: a first row above the headers
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response, or below on failure)
    count, words = 0, {}
    try:
        if fmt == "xlsx":
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet(title=_sheet_title(str(dataset.title)))
            for row in drill:
                append_row(sheet, row)
            append_row(sheet, headers)
            for obj in rows:
                append_row(sheet, cells(readers, obj, centre, words))
                count += 1
            workbook.save(handle)
        else:
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
            writer = csv_writer(text, lineterminator="\r\n")
            writer.writerows(drill)
            writer.writerow(headers)
            for obj in rows:
                writer.writerow(cells(readers, obj, centre, words))
                count += 1
            text.flush()
            text.detach()
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle, count


def _sheet_title(title: str) -> str:
    return re.sub(r"[\\/*?:\[\]]", "", title)[:31] or "export"


class FileChunks:
    """A file sent in chunks, asynchronously: under ASGI Django reads a synchronous iterator into memory whole
    before sending it (StreamingHttpResponse.__aiter__), an asynchronous one it sends chunk by chunk. (Django
    takes an object that is both as synchronous, so this one is only asynchronous; a synchronous reader such
    as the test client gets it through Django's async_to_sync.)"""

    def __init__(self, handle):
        self.handle = handle

    async def __aiter__(self):
        while chunk := self.handle.read(SEND_BYTES):  # a local temporary file: a read does not wait on anything
            yield chunk


def response(handle, *, fmt: str, filename: str) -> StreamingHttpResponse:
    size = handle.seek(0, io.SEEK_END)
    handle.seek(0)
    answer = StreamingHttpResponse(FileChunks(handle), content_type=FORMATS[fmt])
    answer["Content-Length"] = str(size)
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    answer["Cache-Control"] = "no-store"
    answer._resource_closers.append(handle.close)
    return answer
