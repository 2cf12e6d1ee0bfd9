"""Reading a downloaded export back: the real bytes as Excel would get them."""
import csv
import io

from openpyxl import load_workbook


def body(response) -> bytes:
    return b"".join(response)


def read(response, fmt: str) -> list[list]:
    """The file's rows as cell values; for XLSX (value, data_type) pairs are in `.types`."""
    data = body(response)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    sheet = load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def xlsx_types(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(body(response))).active
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]
