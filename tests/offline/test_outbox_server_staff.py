# ruff: noqa: F811  (the fixtures imported from conftest_server are the tests' arguments)
"""What staff see and what logging out clears: the teams page's reports not yet received (stronger past the
due time) and a report's typed and received times; the CSRF refusal in JSON for the outbox; logout's
Clear-Site-Data; the daily retention task forgetting old keys."""
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ops.centres.models import Role
from ops.dispatch.models import Dispatch, ReturnReport, Team
from ops.offline.models import Submission
from tests.offline.conftest_server import REPORT, centre, new_key, outbox_post, record, slip_url  # noqa: F401

pytestmark = pytest.mark.django_db


def teams_page(client, centre) -> str:
    return client.get(reverse("dispatch:teams", kwargs={"centre": centre.slug})).content.decode()


def test_a_team_out_without_its_report_shows_not_received(coordinator_client, centre, record):
    page = teams_page(coordinator_client, centre)
    assert "活動報告 未着" in page
    assert f"出発 {timezone.localtime(record.dispatched_at):%H:%M}" in page
    assert "帰着予定を過ぎても報告がありません" not in page


def test_past_its_due_time_the_missing_report_is_shown_more_strongly(coordinator_client, centre, record):
    past = timezone.now() - timedelta(minutes=5)
    Team.objects.filter(pk=record.team_id).update(expected_return_at=past)
    Dispatch.objects.filter(pk=record.pk).update(expected_return_at=past)
    page = teams_page(coordinator_client, centre)
    assert 'class="report-pending overdue"' in page and "帰着予定を過ぎても報告がありません" in page


def test_a_report_received_long_after_it_was_typed_shows_both_times(coordinator_client, centre, record):
    Dispatch.objects.filter(pk=record.pk).update(dispatched_at=timezone.now() - timedelta(hours=4))
    typed = timezone.now() - timedelta(hours=1, minutes=15)
    outbox_post(Client(), slip_url(record), REPORT, typed_at=typed)
    report = ReturnReport.objects.get()
    assert report.received_late
    page = teams_page(coordinator_client, centre)
    assert "活動報告 未着" not in page
    assert (f"入力 {timezone.localtime(typed):%H:%M}・受信 {timezone.localtime(report.filed_at):%H:%M}") in page


def test_a_report_received_soon_after_it_was_typed_shows_one_time(coordinator_client, centre, record):
    outbox_post(Client(), slip_url(record), REPORT, typed_at=timezone.now())
    assert not ReturnReport.objects.get().received_late
    assert "受信 " not in teams_page(coordinator_client, centre)


def test_a_csrf_refusal_of_an_outbox_post_is_json(record):
    phone = Client(enforce_csrf_checks=True)
    response = outbox_post(phone, slip_url(record), REPORT)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["state"] == "csrf" and response.json()["message"]
    assert not ReturnReport.objects.exists() and not Submission.objects.exists()


def test_a_csrf_refusal_of_a_plain_post_is_the_page_as_before(record):
    response = Client(enforce_csrf_checks=True).post(slip_url(record), REPORT)
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")


def test_the_outbox_with_a_fresh_token_gets_through(record):
    phone = Client(enforce_csrf_checks=True)
    phone.get(slip_url(record))
    token = phone.cookies["csrftoken"].value
    key = new_key()
    response = phone.post(slip_url(record), {**REPORT, "submit_key": key, "csrfmiddlewaretoken": token},
                          HTTP_X_SUBMIT_KEY=key, HTTP_ACCEPT="application/json")
    assert response.status_code == 201


def test_staff_logout_clears_the_sites_data(client_as):
    client = client_as(Role.COORDINATOR)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_nightly_retention_task_forgets_old_keys():
    from ops.centres.tasks import erase_expired_personal_data

    old = Submission.objects.create(scope="/s/x/", key=new_key())
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=15))
    kept = Submission.objects.create(scope="/s/y/", key=new_key())
    result = erase_expired_personal_data.apply().get()
    assert list(Submission.objects.all()) == [kept]
    assert "outbox keys forgotten: 1" in result


def test_the_need_page_shows_when_a_late_report_was_typed_and_received(coordinator_client, centre, record):
    Dispatch.objects.filter(pk=record.pk).update(dispatched_at=timezone.now() - timedelta(hours=4))
    typed = timezone.now() - timedelta(minutes=30)
    outbox_post(Client(), slip_url(record), REPORT, typed_at=typed)
    page = coordinator_client.get(reverse("needs:detail", kwargs={"centre": centre.slug, "pk": record.need_id}))
    assert f"入力 {timezone.localtime(typed):%H:%M}・受信" in page.content.decode()
