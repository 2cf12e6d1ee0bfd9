"""Bulk import of paper needs cards (紙の受付票) from CSV or XLSX: a dry run that reports every row's
errors, then an import that records all rows or none."""
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ops import audit, normalise, wording
from ops.needs.duplicates import find_duplicates
from ops.needs.models import Need
from ops.needs.services.errors import NeedError
from ops.needs.services.fields import clean_need_fields
from ops.needs.services.intake import record_need

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 60  # the template has 21
MAX_DECLARED_ROWS = 10 * MAX_ROWS  # an XLSX's own dimension may count formatted empty rows: some slack
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024

# Column headings accepted (Japanese as printed on the card, and English); the first is the template's.
COLUMNS = {
    "received_at": ["受付日時", "received_at"],
    "channel": ["受付方法", "channel"],
    "requester_name": ["氏名", "お名前", "name", "requester_name"],
    "requester_kana": ["フリガナ", "ふりがな", "kana", "requester_kana"],
    "phone": ["電話番号", "電話", "phone"],
    "address": ["住所", "address"],
    "district": ["地区", "district"],
    "lat": ["緯度", "lat"],
    "lng": ["経度", "lng"],
    "work_types": ["作業内容", "work_types"],
    "description": ["依頼内容", "description"],
    "people_needed": ["必要人数", "people_needed"],
    "days_needed": ["必要日数", "days_needed"],
    "tools_needed": ["必要資機材", "tools_needed"],
    "vehicle_needed": ["車両", "vehicle_needed"],
    "hazards": ["危険箇所", "hazards"],
    "household": ["世帯の状況", "household"],
    "welfare": ["福祉", "welfare"],
    "consent_share": ["同意", "consent_share"],
    "priority": ["優先度", "priority"],
    "notes": ["備考", "notes"],
}
FIELD_LABELS = {name: names[0] for name, names in COLUMNS.items()}
REQUIRED_COLUMNS = ("requester_name", "address")
# Labels people write on paper for the choice fields, mapped to the stored values.
CHOICE_WORDS = {
    "channel": {"電話": "phone", "窓口": "counter", "来所": "counter", "訪問": "home_visit", "Web": "web",
                "Webフォーム": "web", "紹介": "referral"},
    "priority": {"高": 1, "中": 2, "低": 3},
    "welfare": {"": "none", "なし": "none", "見守り": "watch", "危機介入": "crisis"},
}


@dataclass
class RowResult:
    line: int  # the row number a person sees in Excel (heading = row 1)
    fields: dict = field(default_factory=dict)
    welfare: str = "none"
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column label, message)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    created: list[Need] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(r.errors) for r in self.rows)

    @property
    def rows_with_errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]


def _cell(value) -> str | datetime:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_until_limit(rows) -> list[list]:
    """The non-empty rows, stopping one past the heading and MAX_ROWS: enough to say the file is too long
    without reading the rest of it."""
    table = []
    for row in rows:
        if len(row) > MAX_COLUMNS:
            raise NeedError(_("列が多すぎます（%(max)s列まで）。") % {"max": MAX_COLUMNS})
        if any(str(c).strip() for c in row):
            table.append(row)
            if len(table) > MAX_ROWS + 1:
                break
    return table


def _read_xlsx(data: bytes) -> list[list]:
    """Stream the first sheet (openpyxl read_only). What the file declares is checked before any row is read:
    its unzipped size, and the sheet's dimension (a 54 kB file whose rows reach column XFD made a reader that
    pads rows to the declared width spend 17 s and 470 MB)."""
    from openpyxl import load_workbook

    unreadable = _("Excelファイル（.xlsx）として読み込めません。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile as err:
        raise NeedError(unreadable) from err
    if unzipped > MAX_UNZIPPED_BYTES:
        raise NeedError(_("ファイルの中身が大きすぎます（展開して%(mb)sMBまで）。") % {"mb": MAX_UNZIPPED_BYTES // 2**20})
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged or mislabelled file
        raise NeedError(unreadable) from err
    try:
        sheet = book.worksheets[0]
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise NeedError(_("列が多すぎます（%(max)s列まで）。") % {"max": MAX_COLUMNS})
        if (sheet.max_row or 0) > MAX_DECLARED_ROWS:
            raise NeedError(_("シートの範囲が%(max)s行を超えています。使っていない行を削除して保存し直してください。")
                            % {"max": MAX_DECLARED_ROWS})
        sheet.reset_dimensions()  # a dimension that says less than the sheet holds must not hide rows
        return _rows_until_limit([_cell(v) for v in row]
                                 for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
    except NeedError:
        raise
    except Exception as err:  # damaged XML inside a valid zip shows only while streaming
        raise NeedError(unreadable) from err
    finally:
        book.close()


def _read_table(name: str, data: bytes) -> list[list]:
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    if name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "cp932"):  # Excel in Japan saves CSV as Shift_JIS
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise NeedError(_("CSVの文字コードを読み取れません（UTF-8またはShift_JISで保存してください）。"))
        try:
            return _rows_until_limit([c.strip() for c in row] for row in csv.reader(io.StringIO(text)))
        except csv.Error as err:  # a cell past csv's field limit (128 kB), a NUL
            raise NeedError(_("CSVとして読み取れません（1つのセルが長すぎるか、不正な文字があります）。")) from err
    raise NeedError(_("CSV（.csv）またはExcel（.xlsx）のファイルを選んでください。"))


def _parse_datetime(value):
    if isinstance(value, datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    if not value:
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%dT%H:%M"):
        try:
            return timezone.make_aware(datetime.strptime(value, fmt))
        except ValueError:
            continue
    raise ValidationError(_("日時は 2026/07/05 10:30 の形で入力してください。"))


def _row_fields(raw: dict) -> tuple[dict, str, list[tuple[str, str]]]:
    errors = []
    fields = {}
    welfare = "none"
    for name, value in raw.items():
        if name == "received_at":
            try:
                fields[name] = _parse_datetime(value)
            except ValidationError as err:
                errors.append((FIELD_LABELS[name], err.messages[0]))
            continue
        if name in CHOICE_WORDS and isinstance(value, str):
            mapped = CHOICE_WORDS[name].get(value, value)
            if name == "welfare":
                if mapped not in Need.Welfare.values:
                    errors.append((FIELD_LABELS[name], _("「見守り」「危機介入」または空欄にしてください。")))
                else:
                    welfare = mapped
                continue
            value = mapped
        fields[name] = value
    return fields, welfare, errors


def read_rows(name: str, data: bytes) -> ImportReport:
    """Parse and check every row (the dry run). Nothing is written."""
    report = ImportReport()
    if len(data) > MAX_BYTES:
        report.file_errors.append(_("ファイルが大きすぎます（5MBまで）。"))
        return report
    try:
        table = _read_table(name, data)
    except NeedError as err:
        report.file_errors.append(str(err))
        return report
    table = [row for row in table if any(str(c).strip() for c in row)]
    if not table:
        report.file_errors.append(_("データがありません。"))
        return report
    aliases = {alias.lower(): name for name, names in COLUMNS.items() for alias in names}
    heading = [aliases.get(str(h).strip().lower()) for h in table[0]]
    unknown = [str(h) for h, key in zip(table[0], heading, strict=True) if str(h).strip() and key is None]
    if unknown:
        report.file_errors.append(_("不明な列があります: %(cols)s") % {"cols": "、".join(unknown)})
    missing = [FIELD_LABELS[c] for c in REQUIRED_COLUMNS if c not in heading]
    if missing:
        report.file_errors.append(_("必須の列がありません: %(cols)s") % {"cols": "、".join(missing)})
    if report.file_errors:
        return report
    if len(table) - 1 > MAX_ROWS:
        report.file_errors.append(_("一度に取り込めるのは%(max)s行までです。") % {"max": MAX_ROWS})
        return report
    for index, row in enumerate(table[1:], start=2):
        raw = {key: (row[i] if i < len(row) else "") for i, key in enumerate(heading) if key}
        fields, welfare, errors = _row_fields(raw)
        result = RowResult(line=index, welfare=welfare, errors=errors)
        try:
            clean_need_fields({k: v for k, v in fields.items() if k not in dict(errors)})
        except ValidationError as err:
            for fname, messages in err.message_dict.items():
                result.errors.extend((FIELD_LABELS.get(fname, fname), m) for m in messages)
        result.fields = fields
        report.rows.append(result)
    _note_duplicates(report)
    return report


def _note_duplicates(report: ImportReport) -> None:
    seen_phones: dict[str, int] = {}
    for row in report.rows:
        phone = normalise.phone_key(row.fields.get("phone"))
        if phone and phone in seen_phones:
            row.warnings.append(_("%(line)s行目と電話番号が同じです。") % {"line": seen_phones[phone]})
        elif phone:
            seen_phones[phone] = row.line


def note_existing_duplicates(centre, report: ImportReport) -> None:
    """Warn (not refuse) where a row looks like a need already recorded: paper cards are often typed twice."""
    for row in report.rows:
        if row.errors:
            continue
        f = row.fields
        matches = find_duplicates(centre, phone=str(f.get("phone") or ""), name=str(f.get("requester_name") or ""),
                                  kana=str(f.get("requester_kana") or ""), address=str(f.get("address") or ""),
                                  limit=3)
        for m in matches:
            row.warnings.append(_("%(label)s と重複の可能性（%(why)s）") % {
                "label": m.need.label, "why": wording.listing(m.reason_labels(), "・")})


def import_rows(centre, *, by, name: str, data: bytes) -> ImportReport:
    """Record every row as a new need, or none: any row error leaves the database as it was."""
    report = read_rows(name, data)
    if not report.ok:
        return report
    # One trail row per need, named as the import (intake's own operation joins this one).
    with transaction.atomic(), audit.operation("need.import", by=by, actor="import"):
        for row in report.rows:
            fields = {k: v for k, v in row.fields.items() if v not in (None, "")}
            fields.setdefault("channel", Need.Channel.PHONE)
            try:
                need = record_need(centre=centre, by=by, actor="import", welfare=row.welfare, **fields)
            except (ValidationError, NeedError) as err:  # a rule only the database sees; undo everything
                messages = err.messages if isinstance(err, ValidationError) else [str(err)]
                row.errors.extend(("", m) for m in messages)
                transaction.set_rollback(True)
                report.created = []
                return report
            report.created.append(need)
    return report


TEMPLATE_HELP = gettext_lazy("1行目に列名、2行目から1件ずつ。必須: 氏名・住所。")


def template_rows() -> list[list[str]]:
    """The heading and one example row, for the downloadable template."""
    heading = [names[0] for names in COLUMNS.values()]
    example = ["2026/07/05 10:30", "電話", "長野 一郎", "ナガノ イチロウ", "090-1234-5678", "デモ市中央2-3-4",
               "中央", "", "", "泥出し、家財の運び出し", "1階床上浸水。畳と家具の運び出し", "5", "1", "スコップ、一輪車",
               "", "床が抜けそうな箇所あり", "高齢者のみの世帯・独居", "見守り", "はい", "高", ""]
    return [heading, example]
