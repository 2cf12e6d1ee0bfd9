# ruff: noqa: F811  (the fixtures imported from conftest_drills are the tests' arguments)
"""A drill centre says it is practice (訓練) on every surface: its pages and public pages (one banner, from the
base template), both boards' snapshots, the printed slip, every mail (subject and first line, where mail is queued),
the 日報 (HTML, PDF, XLSX) and the exports (file name and first row). A real centre's surfaces carry none of it."""
import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ops.centres.models import Role
from ops.dispatch.models import Dispatch
from ops.dispatch.services import form_team
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail, send_again
from ops.reports.figures import daily_figures
from ops.reports.render import render_daily_html, render_pdf, render_rollup_html
from ops.reports.rollup import rollup_figures
from ops.reports.xlsx import render_daily_xlsx
from ops.volunteers import codes
from ops.volunteers.mailing import queue_volunteer_mails
from ops.volunteers.services.attendance import check_in
from tests import factories
from tests.drills.conftest_drills import drill_admin, drill_centre, drill_client  # noqa: F401
from tests.exports.helpers import read

pytestmark = pytest.mark.django_db
BANNER = 'class="drill-banner"'


def _dispatch(centre, by):
    today = centre.today()
    people = [check_in(factories.make_volunteer(registered_centre=centre), centre, on=today,
                       health={"no_fever": True}, insurance_confirmed=True) for _ in range(2)]
    team = form_team(centre=centre, on=today, members=[a.pk for a in people], leader=people[0].pk, by=by)
    now = timezone.now()
    return Dispatch.objects.create(centre=centre, team=team, need=centre.needs.first(), date=today, people=2,
                                   dispatched_at=now, expected_return_at=now + timedelta(hours=3))


def test_every_page_of_a_drill_centre_carries_the_banner_and_a_real_ones_none(drill_client, drill_centre,
                                                                               drill_admin, client):
    record = _dispatch(drill_centre, drill_admin)
    code = codes.daily_code(drill_centre, drill_centre.today())
    staff = [f"/c/{drill_centre.slug}/board/", f"/c/{drill_centre.slug}/needs/", f"/c/{drill_centre.slug}/?menu"]
    for url in staff:
        page = drill_client.get(url)
        assert page.status_code == 200 and BANNER in page.content.decode(), url
    drill_client.logout()
    public = [f"/p/{drill_centre.slug}/", f"/p/{drill_centre.slug}/widget/", f"/p/{drill_centre.slug}/checkin/{code}/",
              f"/s/{record.slip_token}/",
              f"/s/{record.slip_token}/print/"]
    for url in public:
        page = drill_client.get(url)
        assert page.status_code == 200 and BANNER in page.content.decode() and "訓練" in page.content.decode(), url

    real = factories.make_centre()
    client.force_login(factories.make_user(Role.ADMIN, real))
    for url in (f"/c/{real.slug}/board/", f"/p/{real.slug}/"):
        assert BANNER not in client.get(url).content.decode()


def test_both_boards_snapshots_say_drill(drill_client, drill_centre):
    staff = drill_client.get(f"/c/{drill_centre.slug}/board/snapshot.json").json()
    assert staff["centre"]["drill"] is True
    assert drill_client.get(f"/p/{drill_centre.slug}/board.json").json()["centre"]["drill"] is True


def test_mail_from_a_drill_centre_says_so_once(drill_centre):
    mail = queue_mail(kind=OutboundMail.Kind.CRISIS_ALERT, centre=drill_centre, to=["a@example.jp"],
                      subject="危機介入の連絡", body="本文です。")
    assert mail.subject == "【訓練】危機介入の連絡"
    assert mail.body.splitlines()[0].startswith("【訓練】") and mail.body.endswith("本文です。")
    by_id = queue_mail(kind=OutboundMail.Kind.CRISIS_ALERT, centre=drill_centre.pk, to=["a@example.jp"],
                       subject="件名", body="本文")
    assert by_id.subject == "【訓練】件名"
    OutboundMail.objects.filter(pk=mail.pk).update(state=OutboundMail.State.FAILED)
    mail.refresh_from_db()
    again = send_again(mail, None)
    assert again.subject == mail.subject and again.body == mail.body  # marked once, not twice

    volunteer = factories.make_volunteer(registered_centre=drill_centre, email="v@example.jp")
    queue_volunteer_mails([volunteer], kind=OutboundMail.Kind.RECRUITMENT_CALL, centre=drill_centre,
                          subject="募集のお知らせ", body=lambda v: "明日の活動です。", triggered_by="test")
    bulk = OutboundMail.objects.get(kind=OutboundMail.Kind.RECRUITMENT_CALL)
    assert bulk.subject.startswith("【訓練】") and bulk.body.startswith("【訓練】")

    real = factories.make_centre()
    plain = queue_mail(kind=OutboundMail.Kind.CRISIS_ALERT, centre=real, to=["a@example.jp"], subject="件名",
                       body="本文")
    assert (plain.subject, plain.body) == ("件名", "本文")


def test_the_nippo_and_roll_up_of_a_drill_say_so_in_html_pdf_and_xlsx(drill_centre):
    figures = daily_figures(drill_centre, drill_centre.today())
    assert figures["centre"]["drill"] is True
    html = render_daily_html(figures)
    assert BANNER in html
    sheet = load_workbook(io.BytesIO(render_daily_xlsx(figures, []))).active
    assert sheet["A2"].value == "訓練"  # the first row under the header says so
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=render_pdf(html), capture_output=True,
                              check=True).stdout.decode()
        assert "訓練" in text
    assert BANNER in render_rollup_html(rollup_figures(drill_centre.disaster, drill_centre.today()))
    real = factories.make_centre()
    assert BANNER not in render_daily_html(daily_figures(real, real.today()))
    assert BANNER not in render_rollup_html(rollup_figures(real.disaster, real.today()))


def test_an_export_of_a_drill_centre_says_so_in_its_name_and_first_row(drill_client, drill_centre):
    for fmt in ("csv", "xlsx"):
        response = drill_client.get(f"/c/{drill_centre.slug}/exports/needs/?format={fmt}")
        assert response.status_code == 200
        assert f'filename="drill-{drill_centre.slug}-needs.{fmt}"' in response["Content-Disposition"]
        rows = read(response, fmt)
        assert rows[0][0] == "訓練" and "練習" in rows[0][1]


def test_a_real_volunteers_own_page_marks_the_drill_they_came_to(client, drill_centre):
    real = factories.make_centre()
    volunteer = factories.make_volunteer(registered_centre=real)
    check_in(volunteer, drill_centre, on=drill_centre.today(), health={"no_fever": True}, insurance_confirmed=True)
    page = client.get(f"/v/{volunteer.token}/")
    assert page.status_code == 200
    assert '<span class="drill-badge">訓練</span>' in page.content.decode().split(drill_centre.name, 1)[1][:60]


def test_a_drill_disasters_prefecture_page_says_so(client, drill_centre):
    client.force_login(factories.make_user(username="root-drill", is_superuser=True, is_staff=True))
    page = client.get(f"/pref/{drill_centre.disaster_id}/")
    assert page.status_code == 200 and BANNER in page.content.decode()


def test_a_drills_evening_report_is_built_and_sent_by_the_tick_marked(drill_centre):
    """The 日報 is part of the day a drill rehearses: at the drill centre's report time the beat's tick claims it
    as it claims a real centre's, and its mail says 訓練 (the page says it is sent automatically; the tick skipped
    drills before, so the page was wrong)."""
    from ops.reports.building import build_daily_report, claim_due_reports, send_daily_report
    from ops.reports.models import DailyReport, ReportRecipient

    ReportRecipient.objects.create(centre=drill_centre, name="訓練統括", email="toukatsu@example.jp")
    day = drill_centre.today()
    at = drill_centre.at(day, drill_centre.report_time) + timedelta(minutes=1)
    assert (drill_centre.pk, day) in claim_due_reports(at)
    assert DailyReport.objects.filter(centre=drill_centre, date=day).exists()
    report = build_daily_report(centre_id=drill_centre.pk, day=day)  # what the claimed task does next
    assert send_daily_report(report_id=report.pk)
    mail = OutboundMail.objects.get(kind=OutboundMail.Kind.DAILY_REPORT, centre=drill_centre)
    assert mail.subject.startswith("【訓練】") and mail.body.startswith("【訓練】")
