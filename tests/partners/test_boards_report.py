"""The 日報's 「技術系ニーズ（協力団体）」: the counts are ops.partners.figures' (summary and by_organisation) over
jobs made by the real services, and read the same in the HTML, the PDF, the workbook, the mail and the
roll-up. Organisations' names only: never a job's notes or an organisation's people."""
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from ops.partners import figures, services
from ops.reports import building
from ops.reports.figures import daily_figures
from ops.reports.render import daily_context, render_daily_html
from ops.reports.rollup import rollup_figures
from tests import factories
from tests.partners import conftest_boards as boards
from tests.partners.conftest_boards import (
    JOB_NOTE,
    ORG_CONTACT,
    ORG_PHONE,
    make_org,
    offer_tarp,
    scheduled,
    tarp_need,
)

pytestmark = pytest.mark.django_db
centre, coordinator = boards.centre, boards.coordinator  # the fixtures
SUMMARY_KEYS = ("waiting", "offered", "accepted", "scheduled", "done_today", "done_total")
PRIVATE = (JOB_NOTE, ORG_PHONE, ORG_CONTACT, "roof@example.org", "鍵は代表が保管", "午前中", "辞退理由ZZ", "北側の写真メモ")


def technical_number(figures: dict) -> int:
    """The section follows 7 (募集状況) and the welfare counts' 8 when the report has them."""
    return 9 if figures.get("welfare") else 8


def season(centre, by):
    """Two organisations: NPO 屋根班 with one offered, one accepted, one scheduled and one done today; 屋根の会
    with one declined (its need waits again); and one technical need no organisation was asked about."""
    npo, other = make_org(centre), make_org(centre, "屋根の会")
    tarp_need(centre, technical=True)
    offer_tarp(tarp_need(centre), npo, by)
    services.accept(offer_tarp(tarp_need(centre), npo, by), by=by)
    scheduled(offer_tarp(tarp_need(centre), npo, by), by)
    done = services.accept(offer_tarp(tarp_need(centre), npo, by), by=by)
    services.complete(done, by=by, outcome="done", note="北側の写真メモ")
    services.decline(offer_tarp(tarp_need(centre), other, by), by=by, reason="辞退理由ZZ")


@pytest.fixture
def report(centre, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    season(centre, coordinator)
    return building.build_daily_report(centre_id=centre.pk, day=centre.today())


def test_the_figures_are_the_partner_figures(report, centre):
    summary = figures.summary(centre, centre.today())
    assert [summary[k] for k in SUMMARY_KEYS] == [2, 1, 1, 1, 1, 1]  # waiting: the need never asked, the declined one
    technical = report.figures["technical"]
    assert technical["summary"] == summary
    assert technical["by_organisation"] == [
        {"organisation": "NPO 屋根班", "open": 3, "scheduled": 1, "done": 1, "declined": 0},
        {"organisation": "屋根の会", "open": 0, "scheduled": 0, "done": 0, "declined": 1}]
    by_org = {r["organisation"]: r for r in figures.by_organisation(centre)}
    for row in technical["by_organisation"]:
        assert all(row[k] == by_org[row["organisation"]][k] for k in ("open", "scheduled", "done", "declined"))


def test_the_html_shows_the_section_with_the_same_numbers(report, centre):
    html = report.html.read().decode()
    summary = figures.summary(centre, centre.today())
    assert "技術系ニーズ（協力団体）" in html
    for key in SUMMARY_KEYS:
        assert f'data-figure="technical.summary.{key}">{summary[key]}<' in html
    assert re.search(r"<th>NPO 屋根班</th>" + "".join(rf'<td class="num"[^>]*>{n}</td>' for n in (3, 1, 1, 0)), html)
    assert re.search(r"<th>屋根の会</th>" + "".join(rf'<td class="num"[^>]*>{n}</td>' for n in (0, 0, 0, 1)), html)
    section = technical_number(report.figures)
    assert f"{section}. 技術系ニーズ（協力団体）" in html and f"{section + 1}. 特記事項" in html  # the notes move down
    for private in PRIVATE:
        assert private not in html


def test_the_workbook_has_the_same_numbers(report, centre):
    wb = load_workbook(report.xlsx.path)
    summary = figures.summary(centre, centre.today())
    rows = {r[0]: r[1] for r in wb["概要"].iter_rows(min_row=2, values_only=True)}
    labels = {"waiting": "協力団体待ち", "offered": "依頼中", "accepted": "受諾", "scheduled": "日程決定",
              "done_today": "本日対応済", "done_total": "対応済（累計）"}
    for key, label in labels.items():
        assert rows[f"技術系ニーズ（協力団体）: {label}"] == summary[key]
    sheet = list(wb["協力団体別"].iter_rows(values_only=True))
    assert sheet == [("協力団体", "依頼中（未完了）", "日程決定", "対応済", "辞退"),
                     ("NPO 屋根班", 3, 1, 1, 0), ("屋根の会", 0, 0, 0, 1)]
    text = "\n".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    for private in PRIVATE:
        assert private not in text


def test_the_pdf_has_the_same_numbers(report):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-layout", report.pdf.path, "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"{technical_number(report.figures)}. 技術系ニーズ（協力団体）" in text
    assert re.search(r"NPO 屋根班\s+3\s+1\s+1\s+0", text) and re.search(r"屋根の会\s+0\s+0\s+0\s+1", text)
    assert re.search(r"2\s+" + r"\s+".join(["1"] * 5), text)  # the summary's row: waiting ... done in total
    for private in PRIVATE:
        assert private not in text


def test_the_mail_has_the_same_numbers(report):
    from django.template.loader import render_to_string

    body = render_to_string("reports/mail_daily.txt", daily_context(report.figures))
    assert "■ 技術系ニーズ（協力団体）" in body and "協力団体待ち: 2" in body and "本日対応済: 1" in body
    assert "NPO 屋根班: 依頼中（未完了） 3 日程決定 1 対応済 1 辞退 0" in body


def test_the_rollup_sums_the_centres(centre, coordinator):
    other = factories.make_centre(disaster=centre.disaster)
    season(centre, coordinator)
    offer_tarp(tarp_need(other), make_org(other), factories.make_user(None))
    rollup = rollup_figures(centre.disaster, centre.today())
    rows = {r["centre_id"]: r for r in rollup["centres"]}
    assert (rows[centre.pk]["technical_waiting"], rows[centre.pk]["technical_open"],
            rows[centre.pk]["technical_done_today"]) == (2, 3, 1)
    assert (rows[other.pk]["technical_open"], rows[other.pk]["technical_waiting"]) == (1, 0)
    assert rollup["totals"]["technical_open"] == 4 and rollup["totals"]["technical_done_today"] == 1


def test_a_centre_without_technical_work_has_no_section(centre):
    html = render_daily_html(daily_figures(centre, centre.today()))
    assert "技術系ニーズ" not in html
    assert f"{technical_number(daily_figures(centre, centre.today()))}. 特記事項" in html  # no number skipped
