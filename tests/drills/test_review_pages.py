"""The review's page and PDF (Japanese and English): marked 訓練 / DRILL, the figures of the scripted day, the
calls, then what went wrong; only at a drill's centre, for those who read its reports."""
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from ops.centres.models import Membership, Role
from tests import factories
from tests.drills.test_review_figures import play_the_day

pytestmark = pytest.mark.django_db


def reader(centre, role=Role.LEADER):
    user = factories.make_user()
    Membership.objects.create(user=user, centre=centre, role=role)
    return user


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    path = tmp_path / "review.pdf"
    path.write_bytes(data)
    return words(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


JA = ["訓練 / DRILL", "訓練の振り返り", "2.0分（訓練時間 12分）", "18.0分（訓練時間 108分）", "5.0分（訓練時間 30分）",
      "N-0004", "T-01", "見落とし", "ニーズ未受付", "危機介入の世帯（08:12、N-0004）に福祉的支援の区分が付きませんでした。",
      "終了時点で1人のボランティアが班に入らずに待っていました。"]
EN = ["DRILL", "After-action review", "2.0 min (drill time 12 min)", "18.0 min (drill time 108 min)", "N-0004",
      "T-01", "Missed", "Not taken in", "Late by", "The urgent-intervention household (08:12, N-0004) was never flagged for welfare support.",
      "At the end, 1 volunteer(s) were still waiting without a team."]


def test_the_page_shows_the_figures_the_calls_then_what_went_wrong(client):
    drill = play_the_day()
    client.force_login(reader(drill.centre, Role.COORDINATOR))
    url = reverse("drills:review", kwargs={"centre": drill.centre.slug})
    page = words(client.get(url).content.decode())
    assert [w for w in JA if w not in page] == []
    assert page.index("1. 数字") < page.index("2. 依頼の一覧") < page.index("3. うまくいかなかったこと")
    english = words(client.get(url, {"lang": "en"}).content.decode())
    assert [w for w in EN if w not in english] == []


def test_the_pdf_in_japanese_and_in_english_holds_the_figures(client, tmp_path):
    drill = play_the_day()
    client.force_login(reader(drill.centre, Role.ADMIN))
    url = reverse("drills:review_pdf", kwargs={"centre": drill.centre.slug})
    response = client.get(url, {"lang": "ja"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="drill-review-drill-review-ja.pdf"'
    text = pdf_text(response.content, tmp_path)
    assert [w for w in JA if w not in text] == []
    text = pdf_text(client.get(url, {"lang": "en"}).content, tmp_path)
    assert [w for w in EN if w not in text] == []


def test_only_a_drill_centre_has_one_and_only_for_report_readers(client, centre):
    drill = play_the_day()
    client.force_login(reader(drill.centre, Role.INTAKE))
    assert client.get(reverse("drills:review", kwargs={"centre": drill.centre.slug})).status_code == 403
    client.force_login(factories.make_user(Role.ADMIN, centre))
    for name in ("drills:review", "drills:review_pdf"):
        assert client.get(reverse(name, kwargs={"centre": centre.slug})).status_code == 404


def test_those_who_do_not_see_welfare_flags_read_no_crisis_rows(client, tmp_path):
    """The leader and the city read the figures and the calls, but not which household was 危機介入 (ops.privacy)."""
    drill = play_the_day()
    client.force_login(reader(drill.centre, Role.LEADER))
    page = words(client.get(reverse("drills:review", kwargs={"centre": drill.centre.slug})).content.decode())
    assert "2.0分（訓練時間 12分）" in page and "終了時点で1人のボランティアが班に入らずに待っていました。" in page
    assert "危機介入" not in page and "見落とし" not in page
    client.force_login(reader(drill.centre, Role.VIEWER))
    text = pdf_text(client.get(reverse("drills:review_pdf", kwargs={"centre": drill.centre.slug})).content, tmp_path)
    assert "2.0分（訓練時間 12分）" in text and "危機介入" not in text
