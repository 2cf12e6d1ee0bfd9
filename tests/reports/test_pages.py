"""The staff pages: preview, notes, send now, recipients, archive and files — each behind its capability."""
import pytest
from django.core import mail
from django.urls import reverse

from ops.centres.models import Role
from ops.messages.selectors import mails_about
from ops.reports import building
from ops.reports.models import DailyReport, ReportRecipient
from tests import factories
from tests.reports.conftest import D

pytestmark = pytest.mark.django_db


def url(name, centre, **kw):
    return reverse(f"reports:{name}", kwargs={"centre": centre.slug, **kw})


def test_anonymous_goes_to_login(client, centre):
    response = client.get(url("today", centre))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_roles_without_reports_are_refused(client_as, centre):
    assert client_as(Role.INTAKE).get(url("today", centre)).status_code == 403


def test_viewer_sees_todays_figures_but_no_send_button(client_as, centre):
    factories.make_attendance(centre, date=centre.today())
    response = client_as(Role.VIEWER).get(url("today", centre))
    assert response.status_code == 200
    body = response.content.decode()
    assert "1. ボランティア活動者数" in body
    assert "今すぐ送信" not in body and 'name="notes"' not in body
    assert client_as(Role.VIEWER).post(url("send", centre)).status_code == 403


def test_live_chart_is_a_png(client_as, centre):
    response = client_as(Role.VIEWER).get(url("live_chart", centre))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_notes_are_saved_for_today(coordinator_client, centre):
    response = coordinator_client.post(url("notes", centre), {"notes": "土砂崩れ警戒で北町は中止",
                                                               "plan_tomorrow": "8時受付開始"}, follow=True)
    assert "特記事項と明日の予定を保存しました。" in response.content.decode()
    report = DailyReport.objects.get(centre=centre, date=centre.today())
    assert (report.notes, report.plan_tomorrow) == ("土砂崩れ警戒で北町は中止", "8時受付開始")
    assert "土砂崩れ警戒で北町は中止" in coordinator_client.get(url("today", centre)).content.decode()


def test_notes_of_a_sent_report_cannot_change(coordinator_client, centre):
    DailyReport.objects.create(centre=centre, date=centre.today(), notes="送信済みの内容",
                               built_at="2026-07-06T09:00Z", sent_at="2026-07-06T09:00Z")
    response = coordinator_client.post(url("notes", centre), {"notes": "書き換え"}, follow=True)
    assert "送信済みのため" in response.content.decode()
    assert DailyReport.objects.get(centre=centre).notes == "送信済みの内容"


def test_send_now_without_recipients_explains(coordinator_client, centre):
    response = coordinator_client.post(url("send", centre), follow=True)
    assert "送信先が登録されていません" in response.content.decode()
    assert mail.outbox == []


def test_send_now_builds_and_mails_once(coordinator_client, centre, recipients, eager, settings, tmp_path,
                                       django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    coordinator_client.post(url("notes", centre), {"notes": "手動送信のテスト", "plan_tomorrow": ""})
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends the mail once the build commits
        response = coordinator_client.post(url("send", centre), follow=True)
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("【日報】")
    assert "手動送信のテスト" in mail.outbox[0].body
    report = DailyReport.objects.get(centre=centre)
    assert report.sent_at and mails_about(report).get().triggered_by == f"staff:{coordinator_client.user.username}"
    body = coordinator_client.get(url("today", centre)).content.decode()
    assert "送信済み" in body and "ファイルを作り直す" in body
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url("send", centre))  # rebuilds, never re-sends
    assert len(mail.outbox) == 1


def test_recipients_add_toggle_delete(coordinator_client, centre):
    page = url("recipients", centre)
    coordinator_client.post(page, {"scope": "centre", "name": "市 防災課", "email": "Bousai@Example.jp"})
    recipient = ReportRecipient.objects.get(centre=centre)
    assert recipient.email == "bousai@example.jp"
    response = coordinator_client.post(page, {"scope": "centre", "name": "重複", "email": "bousai@example.jp"})
    assert "このメールアドレスは登録済みです。" in response.content.decode()
    update = url("recipient_update", centre, pk=recipient.pk)
    coordinator_client.post(update, {"action": "deactivate"})
    assert ReportRecipient.objects.get().active is False
    coordinator_client.post(update, {"action": "delete"})
    assert not ReportRecipient.objects.exists()


def test_another_centres_recipient_cannot_be_touched(coordinator_client, centre, other_centre):
    theirs = ReportRecipient.objects.create(centre=other_centre, name="他", email="other@example.jp")
    coordinator_client.post(url("recipient_update", centre, pk=theirs.pk), {"action": "delete"})
    assert ReportRecipient.objects.filter(pk=theirs.pk).exists()


def test_rollup_recipients_need_manage_centre(client_as, centre):
    page = url("recipients", centre)
    data = {"scope": "rollup", "name": "県社協", "email": "council@example.jp"}
    client_as(Role.COORDINATOR).post(page, data)
    assert not ReportRecipient.objects.filter(disaster=centre.disaster).exists()
    client_as(Role.ADMIN).post(page, data)
    assert ReportRecipient.objects.get(disaster=centre.disaster, centre__isnull=True).email == "council@example.jp"


def test_archive_lists_reports_and_serves_files_after_the_check(season, client_as, centre, other_centre, settings,
                                                                   tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    building.build_daily_report(centre_id=centre.pk, day=D)
    viewer = client_as(Role.VIEWER)
    body = viewer.get(url("archive", centre)).content.decode()
    assert "2026-07-06" in body and url("file", centre, day=D, kind="pdf") in body
    response = viewer.get(url("file", centre, day=D, kind="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert viewer.get(url("detail", centre, day=D)).status_code == 200
    assert viewer.get(url("file", centre, day=D, kind="secrets")).status_code == 404
    assert viewer.get(f"/c/{centre.slug}/reports/2026-13-45/pdf/").status_code == 404
    # Staff of another centre get nothing of this one.
    stranger = factories.make_user(Role.ADMIN, other_centre)
    viewer.force_login(stranger)
    assert viewer.get(url("file", centre, day=D, kind="pdf")).status_code == 403


def test_the_page_speaks_english_when_asked(client_as, centre):
    response = client_as(Role.VIEWER).get(url("today", centre), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "1. Volunteers" in body and "Today's report" in body
    assert "ボランティア活動者数" not in body


@pytest.mark.parametrize("language, words", [("ja", "メールサーバーに接続できませんでした"),
                                             ("en", "Could not connect to the mail server")])
def test_a_failed_send_reads_as_words_on_the_report_pages(client_as, centre, language, words):
    report = DailyReport.objects.create(centre=centre, date=centre.today(), built_at="2026-07-06T09:00Z")
    building.note_failure(DailyReport, report.pk, ConnectionRefusedError(111, "Connection refused"))
    client = client_as(Role.COORDINATOR)
    for page in ("today", "archive"):
        body = client.get(url(page, centre), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert words in body, page
        assert "ConnectionRefusedError" not in body and "Errno" not in body, page


def test_the_report_for_a_day_shows_tools_and_consumables(season, client_as, centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    building.build_daily_report(centre_id=centre.pk, day=D)
    body = client_as(Role.VIEWER).get(url("detail", centre, day=D)).content.decode()
    assert "6. 資機材・消耗品" in body
    assert 'data-figure="tools_out_total">5<' in body and 'data-figure="tools_overdue_total">17<' in body
    assert 'data-figure="consumables.飲料水.handed_out_today">35<' in body
    assert 'data-figure="consumables.飲料水.on_hand">95<' in body
