"""The 情報共有会議 pages: the sheet on screen, as XLSX and as PDF (the same numbers, the Japanese text drawn,
no resident's personal data in any of them), the downloads audited, and 「会議を記録」 moving "changed since"."""
import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ops.centres.models import AuditEntry, Role
from ops.partners import services
from ops.partners.models import Meeting, PartnerJob
from tests import factories
from tests.partners import conftest_meeting
from tests.partners.conftest_meeting import SECRETS, technical_need

pytestmark = pytest.mark.django_db
meet = conftest_meeting.meet  # the fixture


def url(meet, name):
    return reverse(f"partners:{name}", kwargs={"centre": meet.centre.slug})


def client_as(client, meet, role):
    client.force_login(factories.make_user(role, meet.centre))
    return client


@pytest.fixture
def busy(meet):
    """Jobs in each state, one of each blocked kind."""
    roof = technical_need(meet.centre, work_types=["tarp"], district="北町")
    services.accept(meet.offer(roof, meet.roofers, "tarp"), by=meet.staff)
    saw = technical_need(meet.centre, work_types=["chainsaw"], district="南町")
    services.decline(meet.offer(saw, meet.sawyers, "chainsaw"), by=meet.staff, reason="人手不足")
    technical_need(meet.centre, work_types=["heavy"], district="南町", days_ago=5)
    offered = technical_need(meet.centre, work_types=["tarp"], district="東町")
    job = meet.offer(offered, meet.roofers, "tarp")
    PartnerJob.objects.filter(pk=job.pk).update(offered_at=job.offered_at - timedelta(days=3))
    return meet


def page_counts(html: str) -> dict:
    return {key: int(n) for key, n in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def test_the_page_shows_each_section(client, busy):
    html = client_as(client, busy, Role.VIEWER).get(url(busy, "meeting")).content.decode()
    for words in ("情報共有会議", "止まっているもの", "前回からの変化", "地区別", "団体別", "屋根の会", "北町",
                  "対応できる団体がない", "依頼して2日以上回答がない", "3日以上 団体待ち"):
        assert words in html
    assert page_counts(html)["waiting"] == 2
    assert "会議を記録" not in html  # a viewer reads the sheet; recording is EDIT_NEEDS


def test_the_partner_role_may_not_open_the_sheet_or_its_files(client, busy):
    client_as(client, busy, Role.PARTNER)
    for name in ("meeting", "meeting_xlsx", "meeting_pdf"):
        assert client.get(url(busy, name)).status_code == 403
    assert client.post(url(busy, "meeting_record"), {"notes": "x"}).status_code == 403
    assert not Meeting.objects.exists()


def test_the_workbook_has_the_pages_numbers(client, busy):
    client_as(client, busy, Role.COORDINATOR)
    html = client.get(url(busy, "meeting")).content.decode()
    counts = page_counts(html)
    answer = client.get(url(busy, "meeting_xlsx"))
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(answer.content))
    summary = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert summary["団体待ち"] == counts["waiting"]
    assert summary["依頼中"] == counts["offered"]
    assert summary["受諾"] == counts["accepted"]
    assert summary["辞退（累計）"] == counts["declined_total"]
    blocked = list(wb["止まっているもの"].iter_rows(min_row=2, values_only=True))
    on_page = [int(n) for n in re.findall(r'data-count="blocked">(\d+)<', html)]
    assert len(on_page) == 4 and all(on_page)
    assert len(blocked) == sum(on_page)
    districts = {row[0]: row[1:] for row in wb["地区別"].iter_rows(min_row=2, values_only=True)}
    assert districts["南町"] == (2, 2)


def test_the_pdf_is_a_pdf_with_the_japanese_text(client, busy, tmp_path):
    answer = client_as(client, busy, Role.LEADER).get(url(busy, "meeting_pdf"))
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    path = tmp_path / "meeting.pdf"
    path.write_bytes(answer.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "情報共有会議" in text and "屋根の会" in text and "団体待ち" in text


def test_no_resident_personal_data_in_any_form(client, busy, tmp_path):
    client_as(client, busy, Role.ADMIN)  # the role that may see residents' data elsewhere: not here either
    html = client.get(url(busy, "meeting")).content.decode()
    wb = load_workbook(io.BytesIO(client.get(url(busy, "meeting_xlsx")).content))
    cells = " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row)
    pdf = client.get(url(busy, "meeting_pdf")).content
    (tmp_path / "m.pdf").write_bytes(pdf)
    text = (subprocess.run(["pdftotext", str(tmp_path / "m.pdf"), "-"], capture_output=True, text=True).stdout
            if shutil.which("pdftotext") else "")
    for secret in SECRETS:
        assert secret not in html
        assert secret not in cells
        assert secret not in text
        assert secret.encode() not in pdf


def test_downloads_are_audited(client, busy):
    client_as(client, busy, Role.INTAKE)
    client.get(url(busy, "meeting_xlsx"))
    client.get(url(busy, "meeting_pdf"))
    notes = list(AuditEntry.objects.filter(action="export.partner_meeting").order_by("pk")
                 .values_list("note", flat=True))
    assert [n.split()[-1] for n in notes] == ["xlsx", "pdf"]
    assert notes[0].startswith("rows=")


def test_recording_the_meeting_moves_changed_since(client, busy):
    client_as(client, busy, Role.COORDINATOR)
    before = client.get(url(busy, "meeting")).content.decode()
    assert "会議の記録はまだありません" in before
    answer = client.post(url(busy, "meeting_record"), {"notes": "次回は金曜"})
    assert answer.status_code == 302
    meeting = Meeting.objects.get(centre=busy.centre)
    assert meeting.notes == "次回は金曜" and meeting.by is not None
    after = client.get(url(busy, "meeting")).content.decode()
    assert "次回は金曜" in after
    assert re.search(r'前回からの変化 <span class="badge">0</span>', after)


def test_minutes_too_long_are_refused_keeping_what_was_typed(client, busy):
    client_as(client, busy, Role.INTAKE)
    answer = client.post(url(busy, "meeting_record"), {"notes": "長" * 4001})
    assert answer.status_code == 400
    assert "長" * 4001 in answer.content.decode()
    assert not Meeting.objects.exists()


def test_only_edit_needs_may_record(client, busy):
    client_as(client, busy, Role.VIEWER)
    assert client.post(url(busy, "meeting_record"), {"notes": ""}).status_code == 403
    assert not Meeting.objects.exists()


def test_text_typed_by_people_is_shown_escaped(client, meet):
    payload = "<script>alert(1)</script>"
    org = meet.org(f"団体{payload}", ["roof"])
    need = technical_need(meet.centre, work_types=["tarp"], district=f"地区{payload}")
    meet.offer(need, org, "tarp")
    services.record_meeting(meet.centre, by=meet.staff, notes=f"議事{payload}")
    html = client_as(client, meet, Role.VIEWER).get(url(meet, "meeting")).content.decode()
    assert payload not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3


def test_the_sheet_and_its_workbook_speak_english(client, busy):
    client_as(client, busy, Role.VIEWER)
    html = client.get(url(busy, "meeting"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for words in ("Information-sharing meeting sheet", "Blocked", "Changes since the last meeting",
                  "Waiting for an organisation", "No organisation can do “Heavy machinery”"):
        assert words in html
    wb = load_workbook(io.BytesIO(client.get(url(busy, "meeting_xlsx"), HTTP_ACCEPT_LANGUAGE="en").content))
    assert wb.sheetnames[0] == "Summary" and "Blocked" in wb.sheetnames
