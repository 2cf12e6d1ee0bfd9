"""Building the report files and mailing them: idempotent, one mail per report, files replaced not piled up."""
import contextlib
import io
import re
import shutil
import subprocess
import zlib

import pytest
from django.core import mail
from django.db import connection
from openpyxl import load_workbook

from ops.messages.models import OutboundMail
from ops.messages.selectors import mails_about
from ops.reports import building, fonts
from ops.reports.models import DailyReport
from ops.reports.tasks import build_daily_report
from tests.conftest import run_together
from tests.reports.conftest import D

pytestmark = pytest.mark.django_db


def _pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pdf_font_names(data: bytes) -> set[bytes]:
    """Names of the fonts embedded in a PDF (WeasyPrint compresses its objects: inflate every stream)."""
    inflated = b""
    # Up to "endstream" with its line break kept: a stream whose last byte is \r lost it to "\r?\n" and failed
    # to inflate (a 1-in-256 chance that depended on the ids a run had reached). Bytes past the end are ignored.
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        with contextlib.suppress(zlib.error):
            inflated += zlib.decompressobj().decompress(match.group(1))
    return {name.split(b"+")[-1] for name in re.findall(rb"/FontName\s*/([^\s/]+)", inflated)}


def test_build_twice_sends_one_mail(season, centre, recipients, settings, tmp_path, eager,
                                    django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends it once the build commits
        first = build_daily_report(centre.pk, D.isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        second = build_daily_report(centre.pk, D.isoformat())
    assert first["mail_queued"] is True and second["mail_queued"] is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"【日報】{centre.name} 2026年7月6日（月）"
    assert sorted(message.to) == ["bousai@example.jp", "kenshakyo@example.jp"]  # not the inactive one
    names = [a[0] for a in message.attachments]
    assert names == [f"nippo-{centre.slug}-2026-07-06.pdf", f"nippo-{centre.slug}-2026-07-06.xlsx"]
    assert message.attachments[0][1][:5] == b"%PDF-"
    assert "受付: 本日 2 / 累計 8" in message.body
    assert "資機材 貸出中: 5  帰着期限を過ぎて未返却: 17" in message.body
    assert "飲料水: 配布 本日 35 / 累計 55  在庫 95 本" in message.body
    assert DailyReport.objects.filter(centre=centre, date=D).count() == 1
    report = DailyReport.objects.get(centre=centre, date=D)
    assert report.sent_at is not None and sorted(report.sent_to) == sorted(message.to)
    log = OutboundMail.objects.get()
    assert list(mails_about(report)) == [log] and log.state == OutboundMail.State.SENT
    assert log.subject == message.subject and log.attachment_names == names


def test_rebuild_replaces_files_under_the_same_names(season, centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    report = building.build_daily_report(centre_id=centre.pk, day=D)
    names = [getattr(report, k).name for k in ("html", "pdf", "xlsx", "chart")]
    report = building.build_daily_report(centre_id=centre.pk, day=D)
    assert [getattr(report, k).name for k in ("html", "pdf", "xlsx", "chart")] == names
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == sorted(n.split("/")[-1] for n in names)


def test_pdf_text_is_set_in_the_japanese_font_file(season, centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    report = building.build_daily_report(centre_id=centre.pk, day=D)
    names = _pdf_font_names(report.pdf.read())
    # Only our @font-face (the IPAex file) is embedded: no fallback font drew any of the Japanese text.
    assert names and all(name.startswith(b"DVC-Report-Gothic") for name in names), names


def test_notes_and_figures_reach_the_pdf_in_japanese(season, centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    DailyReport.objects.create(centre=centre, date=D, notes="北町で道路冠水のため送り出しを一時中止",
                               plan_tomorrow="北サテライトを8時に開設")
    report = building.build_daily_report(centre_id=centre.pk, day=D)
    text = _pdf_text(report.pdf.path)
    assert "災害ボランティアセンター 日報" in text
    assert "北町で道路冠水のため送り出しを一時中止" in text
    assert "北サテライトを8時に開設" in text
    assert "泥出し" in text and "スコップ" in text
    assert "2026年7月6日（月）" in text


def test_workbook_has_the_six_sheets(season, centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    report = building.build_daily_report(centre_id=centre.pk, day=D)
    wb = load_workbook(io.BytesIO(report.xlsx.read()))
    assert wb.sheetnames == ["概要", "地区別", "作業内容別", "拠点別", "資機材・消耗品", "推移"]
    stock = list(wb["資機材・消耗品"].iter_rows(min_row=2, values_only=True))
    assert stock == [("マスク", "枚", 10, 10, 0), ("飲料水", "本", 35, 55, 95)]
    districts = {row[0]: row for row in wb["地区別"].iter_rows(min_row=2, values_only=True)}
    assert districts["中央"][1:3] == (1, 4)  # received today, cumulative
    trend = list(wb["推移"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in trend] == ["2026-07-04", "2026-07-05", "2026-07-06"]
    assert [r[1] for r in trend] == [0, 3, 5]
    summary = {row[0]: row[1:] for row in wb["概要"].iter_rows(values_only=True)}
    assert summary["ボランティア: 活動者数"][:2] == (5, 8)
    assert summary["資機材 帰着期限を過ぎて未返却"][0] == 17


def test_chart_is_a_png(season, centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    report = building.build_daily_report(centre_id=centre.pk, day=D)
    assert report.chart.read()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_recipients_builds_without_sending(season, centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    assert build_daily_report(centre.pk, D.isoformat())["mail_queued"] is False
    assert mail.outbox == []
    report = DailyReport.objects.get(centre=centre, date=D)
    assert report.built_at is not None and report.sent_at is None


def test_missing_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(fonts, "CANDIDATES", ("/nonexistent/ipaexg.ttf",))
    monkeypatch.delenv("REPORT_FONT_PATH", raising=False)
    fonts.japanese_font_path.cache_clear()
    try:
        with pytest.raises(fonts.FontMissing, match="fonts-ipaexfont-gothic"):
            fonts.japanese_font_path()
    finally:
        fonts.japanese_font_path.cache_clear()


@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sends_send_once(season, centre, recipients, settings, tmp_path, eager):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    settings.MEDIA_ROOT = str(tmp_path)
    report = building.build_daily_report(centre_id=centre.pk, day=D)
    results, errors = run_together(2, lambda _i: building.send_daily_report(report_id=report.pk))
    assert errors == [None, None]
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    assert OutboundMail.objects.count() == 1


def test_rollup_goes_to_the_disasters_own_recipients_once(season, centre, recipients, settings, tmp_path, eager,
                                                         django_capture_on_commit_callbacks):
    from ops.reports.models import ReportRecipient, RollupReport
    from ops.reports.tasks import build_rollup_report
    from tests import factories

    settings.MEDIA_ROOT = str(tmp_path)
    factories.make_centre(disaster=centre.disaster, name="隣町災害VC")
    ReportRecipient.objects.create(disaster=centre.disaster, name="県社協", email="council@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        assert build_rollup_report(centre.disaster.pk, D.isoformat())["mail_queued"] is True
    with django_capture_on_commit_callbacks(execute=True):
        assert build_rollup_report(centre.disaster.pk, D.isoformat())["mail_queued"] is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["council@example.jp"]  # not the centre's own recipients
    assert message.subject == f"【集約報告】{centre.disaster.name} 2026年7月6日（月）"
    rollup = RollupReport.objects.get()
    text = _pdf_text(rollup.pdf.path)
    assert centre.name in text and "隣町災害VC" in text
    wb = load_workbook(io.BytesIO(rollup.xlsx.read()))
    rows = list(wb["センター別"].iter_rows(min_row=2, values_only=True))
    assert rows[-1][0] == "合計" and rows[-1][3] == 5  # volunteers today over both centres


@pytest.mark.parametrize("state, beat_asks, staff_asks", [
    ("queued", False, False), ("sending", False, False), ("sent", False, False),
    ("unknown", False, True),  # perhaps delivered: only staff may decide to send it again
    ("failed", True, True),  # never accepted: the next build asks again
])
def test_a_report_s_mail_under_way_is_never_asked_for_twice(season, centre, recipients, settings, tmp_path,
                                                          state, beat_asks, staff_asks):
    settings.MEDIA_ROOT = str(tmp_path)
    report = building.build_daily_report(centre_id=centre.pk, day=D)
    assert building.send_daily_report(report_id=report.pk) is True
    OutboundMail.objects.update(state=state)
    assert building.send_daily_report(report_id=report.pk, triggered_by="beat") is beat_asks
    OutboundMail.objects.exclude(pk=OutboundMail.objects.order_by("id").first().pk).delete()
    assert building.send_daily_report(report_id=report.pk, triggered_by="staff:coordinator") is staff_asks


def test_the_report_reads_sent_when_its_mail_is(season, centre, recipients, settings, tmp_path):
    from ops.messages import sending

    settings.MEDIA_ROOT = str(tmp_path)
    report = building.build_daily_report(centre_id=centre.pk, day=D)
    building.send_daily_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.sent_at is None  # asked for, not yet accepted by the server
    assert sending.deliver(mails_about(report).get().pk) is True
    report.refresh_from_db()
    assert report.sent_at == mails_about(report).get().sent_at
    assert sorted(report.sent_to) == ["bousai@example.jp", "kenshakyo@example.jp"]
