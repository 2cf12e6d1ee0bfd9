"""Paper cards from CSV/XLSX: a dry run reports every row's errors and saves nothing; the import records
all rows or none."""
import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from ops.centres.models import Event, Role
from ops.needs.models import Need
from ops.needs.services import importing
from ops.welfare.models import Case
from tests import factories

pytestmark = pytest.mark.django_db
HEADING = ["受付日時", "受付方法", "氏名", "フリガナ", "電話番号", "住所", "地区", "作業内容", "必要人数", "福祉", "優先度"]
GOOD = [
    ["2026/07/05 10:30", "電話", "長野 一郎", "ナガノ イチロウ", "090-1234-5678", "テスト市中央2-3-4", "中央",
     "泥出し、家財の運び出し", "5", "見守り", "高"],
    ["2026/07/05 11:00", "窓口", "松本 花子", "", "026-234-5678", "テスト市川端町1-1", "川端", "mud", "3", "", ""],
]


def csv_bytes(rows, encoding="utf-8-sig"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_dry_run_of_good_rows_saves_nothing(centre):
    report = importing.read_rows("cards.csv", csv_bytes([HEADING, *GOOD]))
    assert report.ok and len(report.rows) == 2
    assert not Need.objects.exists()


def test_errors_are_reported_per_row_and_column(centre):
    bad = [
        HEADING,
        GOOD[0],
        ["", "電話", "", "", "090-12", "テスト市", "", "泥出し", "0", "", ""],  # row 3: name, phone, people
        ["2026/13/45", "伝書鳩", "佐藤", "", "", "", "", "魔法", "2", "至急", "最高"],  # row 4
    ]
    report = importing.read_rows("cards.csv", csv_bytes(bad))
    assert not report.ok
    by_row = {r.line: {col for col, _ in r.errors} for r in report.rows}
    assert by_row[2] == set()
    assert by_row[3] == {"氏名", "電話番号", "必要人数"}
    assert by_row[4] == {"受付日時", "受付方法", "住所", "作業内容", "福祉", "優先度"}


def test_import_records_every_row_in_order(centre):
    user = factories.make_user(Role.INTAKE, centre)
    report = importing.import_rows(centre, by=user, name="cards.xlsx", data=xlsx_bytes([HEADING, *GOOD]))
    assert [n.label for n in report.created] == ["N-0001", "N-0002"]
    first = Need.objects.get(number=1)
    assert (first.channel, first.priority, first.welfare) == ("phone", 1, "watch")
    local = timezone.localtime(first.received_at)  # the card's time is Japan time
    assert (local.hour, local.minute) == (10, 30)
    assert sorted(first.work_types.values_list("code", flat=True)) == ["furniture", "mud"]
    assert Case.objects.of_need(first).count() == 1
    assert first.history.get().actor == "import"
    assert Event.objects.filter(kind="need.created").count() == 2


def test_one_bad_row_imports_nothing(centre):
    rows = [HEADING, *GOOD, ["", "", "名前だけ", "", "", "", "", "", "", "", ""]]
    report = importing.import_rows(centre, by=None, name="cards.csv", data=csv_bytes(rows))
    assert report.created == [] and not report.ok
    assert not Need.objects.exists()
    assert not Event.objects.exists()


def test_a_failure_midway_rolls_back_the_rows_already_recorded(centre, monkeypatch):
    from ops.needs.services import intake

    real = intake.record_need
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise importing.NeedError("採番エラー")
        return real(**kwargs)

    monkeypatch.setattr(importing, "record_need", flaky)
    report = importing.import_rows(centre, by=None, name="cards.csv", data=csv_bytes([HEADING, *GOOD]))
    assert report.created == []
    assert not Need.objects.exists()


def test_shift_jis_csv_from_excel_is_read(centre):
    report = importing.read_rows("cards.csv", csv_bytes([HEADING, *GOOD], encoding="cp932"))
    assert report.ok and report.rows[0].fields["requester_name"] == "長野 一郎"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("cards.txt", b"x", "CSV"),
    ("cards.xlsx", b"not a zip", "Excel"),
    ("cards.csv", "氏名,趣味\n山田,釣り\n".encode(), "不明な列"),
    ("cards.csv", "氏名,電話番号\n山田,090\n".encode(), "必須の列"),
    ("cards.csv", b"", "データがありません"),
])
def test_file_level_errors(centre, name, data, message):
    report = importing.read_rows(name, data)
    assert not report.ok and message in " ".join(report.file_errors)


def test_import_page_dry_run_then_confirm(client_as, centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client = client_as(Role.INTAKE)
    target = reverse("needs:import", kwargs={"centre": centre.slug})
    upload = io.BytesIO(csv_bytes([HEADING, *GOOD]))
    upload.name = "cards.csv"
    response = client.post(target, {"file": upload})
    assert "2件を取り込めます" in response.content.decode()
    assert not Need.objects.exists()
    response = client.post(target, {"confirm": "1"})
    assert response.status_code == 302
    assert Need.objects.count() == 2
    assert client.post(target, {"confirm": "1"}).status_code == 302  # a second confirm imports nothing more
    assert Need.objects.count() == 2


def test_import_page_shows_row_errors(client_as, centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = io.BytesIO(csv_bytes([HEADING, ["", "", "", "", "1", "", "", "", "", "", ""]]))
    upload.name = "cards.csv"
    body = client_as(Role.INTAKE).post(reverse("needs:import", kwargs={"centre": centre.slug}),
                                       {"file": upload}).content.decode()
    assert "1行にエラーがあります" in body and "この内容で取り込む" not in body


def test_dry_run_warns_about_needs_already_recorded(centre):
    factories.make_need(centre, phone="090-1234-5678")
    report = importing.read_rows("cards.csv", csv_bytes([HEADING, *GOOD]))
    importing.note_existing_duplicates(centre, report)
    assert "N-0001" in report.rows[0].warnings[0]


def test_template_download_has_the_columns(client_as, centre):
    response = client_as(Role.INTAKE).get(reverse("needs:import_template", kwargs={"centre": centre.slug}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["受付日時", "受付方法", "氏名"]
    assert importing.read_rows("t.csv", response.content).ok  # the template's example row itself imports


def test_checked_files_left_behind_are_removed_after_a_day(client_as, centre, settings, tmp_path):
    import os
    import time as _time

    settings.MEDIA_ROOT = str(tmp_path)
    folder = tmp_path / "needs-imports" / str(centre.pk)
    folder.mkdir(parents=True)
    stale = folder / "old.csv"
    stale.write_bytes(b"x")
    day_ago = _time.time() - 2 * 86400
    os.utime(stale, (day_ago, day_ago))
    upload = io.BytesIO(csv_bytes([HEADING, *GOOD]))
    upload.name = "cards.csv"
    client_as(Role.INTAKE).post(reverse("needs:import", kwargs={"centre": centre.slug}), {"file": upload})
    assert not stale.exists()
    assert len(list(folder.iterdir())) == 1  # the file just checked stays until it is imported
