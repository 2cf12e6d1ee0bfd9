# ruff: noqa: F811  (the fixtures imported from conftest_server are the tests' arguments)
"""The slip's report and 現着 sent from the phone's outbox: JSON answers, filed once per key, the typed time
kept, a second phone told the report is in, and a report typed on the day taken after midnight."""
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.dispatch.models import Dispatch, ReturnReport, Team
from ops.offline.models import Submission
from tests.offline.conftest_server import REPORT, centre, new_key, outbox_post, record, slip_url  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_report_from_the_outbox_is_received_in_json_with_its_typed_time(client, record):
    Dispatch.objects.filter(pk=record.pk).update(dispatched_at=timezone.now() - timedelta(hours=3))
    typed = timezone.now() - timedelta(minutes=40)
    response = outbox_post(client, slip_url(record), REPORT, typed_at=typed)
    assert response.status_code == 201
    answer = response.json()
    assert answer["state"] == "received" and answer["message"] == "活動報告を受け付けました。"
    assert answer["location"] == slip_url(record) and answer["at"]
    report = ReturnReport.objects.get(dispatch=record)
    assert report.typed_at == typed and report.filed_at > typed and report.filed_via == "leader"
    assert "090-1111-2222" not in str(Submission.objects.get().answer)


def test_a_resend_of_the_same_key_files_nothing_more_and_is_told_received_again(client, record):
    key = new_key()
    first = outbox_post(client, slip_url(record), REPORT, key=key)
    again = outbox_post(client, slip_url(record), REPORT, key=key)
    assert again.status_code == first.status_code == 201
    assert again.json() == {**first.json(), "again": True}
    assert ReturnReport.objects.count() == 1


def test_a_second_phone_is_told_the_report_was_filed_from_another_phone(client, record):
    outbox_post(client, slip_url(record), REPORT)
    second = outbox_post(client, slip_url(record), {**REPORT, "people": "x"})
    assert second.status_code == 409
    assert second.json()["state"] == "refused" and second.json()["code"] == "already_filed"
    assert "別の端末" in second.json()["message"]
    assert ReturnReport.objects.count() == 1
    assert Submission.objects.count() == 1  # the refused key is not kept


def test_bad_figures_come_back_as_field_errors_and_nothing_is_kept(client, record):
    response = outbox_post(client, slip_url(record), {**REPORT, "outcome": "", "hours": "abc"})
    assert response.status_code == 400
    answer = response.json()
    assert answer["state"] == "invalid" and {"outcome", "hours"} <= set(answer["errors"])
    assert not ReturnReport.objects.exists() and not Submission.objects.exists()


def test_a_cancelled_dispatch_refuses_the_report(client, record):
    from ops.dispatch.services import cancel_dispatch

    cancel_dispatch(record)
    response = outbox_post(client, slip_url(record), REPORT)
    assert response.status_code == 409 and response.json()["code"] == "cancelled"


def test_arrival_from_the_outbox(client, record):
    response = outbox_post(client, slip_url(record), {"action": "arrived"})
    assert response.status_code == 200 and response.json()["state"] == "received"
    assert Team.objects.get(pk=record.team_id).status == Team.Status.ON_SITE


def _to_yesterday(record):
    Dispatch.objects.filter(pk=record.pk).update(date=record.date - timedelta(days=1),
                                                 dispatched_at=record.dispatched_at - timedelta(days=1))
    record.refresh_from_db()
    return record


def test_a_report_typed_on_the_dispatch_day_is_taken_the_next_day(client, record):
    record = _to_yesterday(record)
    assert client.get(slip_url(record)).status_code == 410  # the page itself died at midnight
    typed = record.dispatched_at + timedelta(minutes=1)
    response = outbox_post(client, slip_url(record), REPORT, typed_at=typed)
    assert response.status_code == 201, response.json()
    assert ReturnReport.objects.get().typed_at == typed


def test_a_report_typed_after_midnight_is_refused_as_expired(client, record):
    record = _to_yesterday(record)
    response = outbox_post(client, slip_url(record), REPORT, typed_at=timezone.now())
    assert response.status_code == 409 and response.json()["code"] == "expired"
    assert outbox_post(client, slip_url(record), REPORT).json()["code"] == "expired"  # no typed time


def test_a_report_typed_on_the_day_is_not_taken_two_days_later(client, record):
    Dispatch.objects.filter(pk=record.pk).update(date=record.date - timedelta(days=2),
                                                 dispatched_at=record.dispatched_at - timedelta(days=2))
    record.refresh_from_db()
    response = outbox_post(client, slip_url(record), REPORT, typed_at=record.dispatched_at + timedelta(minutes=1))
    assert response.status_code == 409 and response.json()["code"] == "expired"


def test_a_plain_post_still_gets_the_html_page(client, record):
    response = client.post(slip_url(record), REPORT)
    assert response.status_code == 200 and "受け付けました" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert not Submission.objects.exists()
    assert ReturnReport.objects.get().typed_at is None


def test_a_plain_post_without_javascript_dies_at_midnight_as_before(client, record):
    record = _to_yesterday(record)
    assert client.post(slip_url(record), REPORT).status_code == 410


def test_the_slip_may_be_kept_until_the_end_of_its_day(client, record, centre):
    response = client.get(slip_url(record))
    from datetime import time

    end = centre.at(record.date + timedelta(days=1), time.min)
    assert response["X-Offline-Keep"] == str(int(end.timestamp()))
    assert "X-Offline-Keep" not in client.post(slip_url(record), {**REPORT, "people": 30})
