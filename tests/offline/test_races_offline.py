# ruff: noqa: F811  (the fixtures imported from conftest_server are the tests' arguments)
"""Resends racing on real PostgreSQL: the same key sent twice at once (the phone retried while the first
answer was on its way) files once and both are told "received"; two phones' keys on one slip file one
report and the other phone is told it was already filed."""
import pytest
from django.db import connection
from django.test import Client

from ops.centres.models import Event
from ops.dispatch.models import ReturnReport
from ops.offline.models import Submission
from tests.conftest import run_together
from tests.offline.conftest_server import (  # noqa: F401
    REPORT,
    attendance,
    centre,
    checkout_url,
    new_key,
    outbox_post,
    record,
    slip_url,
)

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the key's unique index and row locks are exercised on PostgreSQL (make test)")


def send_together(url, data, keys):
    results, errors = run_together(len(keys), lambda i: outbox_post(Client(), url, data, key=keys[i]))
    assert errors == [None] * len(keys)
    return [(r.status_code, r.json()) for r in results]


def test_two_resends_of_one_key_at_once_file_one_report_and_both_are_received(record):
    key = new_key()
    answers = send_together(slip_url(record), REPORT, [key, key])
    assert sorted(status for status, _ in answers) == [201, 201]
    assert all(body["state"] == "received" for _, body in answers)
    assert sorted(bool(body.get("again")) for _, body in answers) == [False, True]
    assert ReturnReport.objects.filter(dispatch=record).count() == 1
    assert Submission.objects.count() == 1


def test_two_phones_on_one_slip_at_once_file_one_report_and_the_other_is_told(record):
    answers = send_together(slip_url(record), REPORT, [new_key(), new_key()])
    assert sorted(status for status, _ in answers) == [201, 409]
    refused = next(body for status, body in answers if status == 409)
    assert refused["code"] == "already_filed" and "別の端末" in refused["message"]
    assert ReturnReport.objects.filter(dispatch=record).count() == 1
    assert Submission.objects.count() == 1


def test_two_resends_of_one_check_out_at_once_check_out_once_and_both_are_received(attendance):
    key = new_key()
    answers = send_together(checkout_url(attendance), {}, [key, key])
    assert [status for status, _ in answers] == [200, 200]
    assert sorted(bool(body.get("again")) for _, body in answers) == [False, True]
    attendance.refresh_from_db()
    assert attendance.checked_out_at is not None
    assert Event.objects.filter(kind="attendance.checked_out").count() == 1
    assert Submission.objects.count() == 1


def test_two_resends_of_one_request_at_once_record_one_need(centre):
    from ops.needs.models import Need
    from tests.needs.test_public_request import public_data, request_url

    key = new_key()
    answers = send_together(request_url(centre), public_data(), [key, key])
    assert [status for status, _ in answers] == [201, 201]
    assert sorted(bool(body.get("again")) for _, body in answers) == [False, True]
    assert Need.objects.filter(centre=centre).count() == 1
