"""Reading 国土交通省 位置参照情報 files into AddressPoint rows: 街区レベル and 大字・町丁目レベル CSV in the
official column layout, as .csv or as the .zip the download service gives, in Shift_JIS (cp932, as published)
or UTF-8 (with or without BOM).

Files are streamed (a prefecture's 街区 file has several hundred thousand rows): lines are decoded chunk by
chunk and written with PostgreSQL's COPY (bulk_create on SQLite). A file's municipalities are imported in one
transaction; a municipality imported again at the same level has its old rows replaced, never doubled.
"""
from __future__ import annotations

import codecs
import csv
import itertools
import unicodedata
import zipfile
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from mapping.addresses.normalise import block_key, city_key, town_key
from mapping.models import AddressImport, AddressPoint, Level

BLOCK_COLUMNS = ("都道府県名", "市区町村名", "大字・丁目名", "小字・通称名", "街区符号・地番", "座標系番号", "Ｘ座標",
                 "Ｙ座標", "緯度", "経度", "住居表示フラグ", "代表フラグ", "更新前履歴フラグ", "更新後履歴フラグ")
TOWN_COLUMNS = ("都道府県コード", "都道府県名", "市区町村コード", "市区町村名", "大字町丁目コード", "大字町丁目名", "緯度",
                "経度", "原典資料コード", "大字・字・丁目区分コード")
LAYOUTS = {Level.BLOCK: BLOCK_COLUMNS, Level.TOWN: TOWN_COLUMNS}
CHUNK = 1 << 16
SQLITE_BATCH = 2000
POINT_COLUMNS = ("source_id", "level", "city_key", "town", "koaza", "block", "town_key", "block_key",
                 "representative", "lat", "lng")


class AddressFileError(ValueError):
    """A file that cannot be imported; the message says why in the user's language. Nothing was saved."""


@dataclass
class Row:
    level: str
    prefecture: str
    city: str
    town: str
    koaza: str
    block: str
    representative: bool
    lat: float
    lng: float


def _header_key(cell: str) -> str:
    return unicodedata.normalize("NFKC", cell.strip().lstrip("\ufeff")).replace('"', "")


def _garbled(text: str) -> bool:
    """Text decoded with the wrong encoding: replacement, control or private-use characters, or half-width
    kana (what EUC-JP's bytes read as in cp932); no official column name has any."""
    return any(ch == "\ufffd" or ch < " " or "\ue000" <= ch <= "\uf8ff" or "\uff61" <= ch <= "\uff9f" for ch in text)


def _layout(header: list[str], name: str) -> str:
    """The file's level from its header, or an error naming the columns that differ from the official layout."""
    if _garbled("".join(header)):
        _raise(_("%(name)s: 見出しの行の文字を読み取れません。Shift_JIS（cp932）かUTF-8のCSVを選んでください。")
               % {"name": name})
    got = [_header_key(c) for c in header]
    for level, columns in LAYOUTS.items():
        if got == [_header_key(c) for c in columns]:
            return level
    closest = BLOCK_COLUMNS if "街区符号・地番" in got or len(got) > 12 else TOWN_COLUMNS
    wanted = [_header_key(c) for c in closest]
    missing = [c for c in wanted if c not in got]
    extra = [c for c in got if c not in wanted]
    detail = []
    if missing:
        detail.append(_("ない列: %(cols)s") % {"cols": "、".join(missing)})
    if extra:
        detail.append(_("余分な列: %(cols)s") % {"cols": "、".join(extra)})
    if not detail:
        detail.append(_("列の順序が違います"))
    return _raise(_("%(name)s: 列が位置参照情報の公式の様式（%(layout)s）と違います（%(detail)s）。") % {
        "name": name, "layout": Level(Level.BLOCK if closest is BLOCK_COLUMNS else Level.TOWN).label,
        "detail": "。".join(detail)})


def _raise(message: str):
    raise AddressFileError(message)


def _lines(stream, name: str):
    """The stream's text, line by line, decoded as UTF-8 (a BOM is dropped) or else cp932, never whole."""
    head = stream.read(CHUNK)
    if head.startswith(codecs.BOM_UTF8):
        encoding, head = "utf-8", head[len(codecs.BOM_UTF8):]
    else:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp932"
    decoder = codecs.getincrementaldecoder(encoding)()
    pending = ""
    line_no = 0
    for chunk in itertools.chain([head], iter(lambda: stream.read(CHUNK), b"")):
        try:
            text = pending + decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            _raise(_("%(name)s: %(line)s行目付近の文字を読み取れません。Shift_JIS（cp932）かUTF-8のCSVを選んでください。")
                   % {"name": name, "line": line_no + 1})
        lines = text.splitlines(keepends=True)
        pending = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
        line_no += len(lines)
        yield from lines
    if pending:
        yield pending


def _number(value: str, line: int, name: str) -> float:
    try:
        return float(value)
    except ValueError:
        return _raise(_("%(name)s: %(line)s行目の緯度・経度が数値ではありません。") % {"name": name, "line": line})


def rows(stream, name: str):
    """The file's rows as Row, checked against the official layout."""
    reader = csv.reader(_lines(stream, name))
    header = next(reader, None)
    if not header:
        _raise(_("%(name)s: 空のファイルです。") % {"name": name})
    level = _layout(header, name)
    width = len(LAYOUTS[level])
    for line, cells in enumerate(reader, start=2):
        if not cells:
            continue
        if len(cells) != width:
            _raise(_("%(name)s: %(line)s行目の列の数が%(got)s個です（%(want)s個のはずです）。") % {
                "name": name, "line": line, "got": len(cells), "want": width})
        if level == Level.BLOCK:
            pref, city, town, koaza, block, _sys, _x, _y, lat, lng, _disp, rep, *_history = cells
            yield Row(level, pref, city, town, koaza, block, rep.strip() != "0",
                      _number(lat, line, name), _number(lng, line, name))
        else:
            _pc, pref, _cc, city, _tc, town, lat, lng, *_rest = cells
            yield Row(level, pref, city, town, "", "", True, _number(lat, line, name), _number(lng, line, name))


def csv_members(fileobj, name: str):
    """(name, binary stream) of each CSV in a .zip, or the file itself."""
    head = fileobj.read(4)
    fileobj.seek(0)
    if head != b"PK\x03\x04":
        yield name, fileobj
        return
    try:
        archive = zipfile.ZipFile(fileobj)
    except zipfile.BadZipFile:
        _raise(_("%(name)s: zipファイルを開けません。") % {"name": name})
    members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv") and not m.is_dir()]
    if not members:
        _raise(_("%(name)s: zipの中にCSVファイルがありません。") % {"name": name})
    for member in members:
        with archive.open(member) as stream:
            yield member.filename, stream


def _point(source_id: int, row: Row) -> tuple:
    return (source_id, row.level, city_key(row.prefecture + row.city), row.town[:80], row.koaza[:80], row.block[:20],
            town_key(row.town)[:80], block_key(row.block)[:20], row.representative, row.lat, row.lng)


def _write(source_id: int, group) -> int:
    count = 0
    if connection.vendor == "postgresql":
        sql = f"COPY {AddressPoint._meta.db_table} ({', '.join(POINT_COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in group:
                copy.write_row(_point(source_id, row))
                count += 1
        return count
    for batch in iter(lambda: list(itertools.islice(group, SQLITE_BATCH)), []):
        AddressPoint.objects.bulk_create(AddressPoint(**dict(zip(POINT_COLUMNS, _point(source_id, r), strict=True)))
                                         for r in batch)
        count += len(batch)
    return count


def import_file(fileobj, name: str, *, by=None, actor: str = "") -> list[AddressImport]:
    """Import one uploaded or opened file (.csv or .zip): each municipality and level in it replaces what was
    loaded for them before, all in one transaction. Returns the imports written; AddressFileError otherwise."""
    done: dict[tuple[str, str, str], AddressImport] = {}
    with transaction.atomic():
        for member, stream in csv_members(fileobj, name):
            grouped = itertools.groupby(rows(stream, member), key=lambda r: (r.prefecture, r.city, r.level))
            for (prefecture, city, level), group in grouped:
                source = done.get((prefecture, city, level))
                if source is None:
                    AddressImport.objects.filter(prefecture=prefecture, city=city, level=level).delete()
                    source = AddressImport.objects.create(prefecture=prefecture, city=city, level=level,
                                                          file_name=name[:200], imported_by=by,
                                                          actor=actor)
                    done[(prefecture, city, level)] = source
                source.rows += _write(source.pk, group)
        if not done:
            _raise(_("%(name)s: 住所の行がありません。") % {"name": name})
        for source in done.values():
            source.save(update_fields=["rows"])
    return list(done.values())


def import_path(path, *, by=None, actor: str = "system") -> list[AddressImport]:
    with open(path, "rb") as fileobj:
        return import_file(fileobj, str(path).rsplit("/", 1)[-1], by=by, actor=actor)
