# ruff: noqa: F811  (the fixtures imported from conftest_server are the tests' arguments)
"""The resident's request from the phone's outbox: received once per key, an expired stamp answered with a
fresh one, the rate limit told as "later" with when, and a bot answered like a person with nothing kept."""
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ops.needs.models import Need
from ops.offline.models import Submission
from tests.needs.conftest import old_stamp
from tests.needs.test_public_request import public_data, request_url
from tests.offline.conftest_server import centre, new_key, outbox_post  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_request_from_the_outbox_is_received_once(client, centre):
    key = new_key()
    first = outbox_post(client, request_url(centre), public_data(), key=key)
    assert first.status_code == 201
    body = first.json()
    assert body["state"] == "received" and body["location"] == reverse("needs:public_thanks",
                                                                       kwargs={"centre": centre.slug})
    again = outbox_post(client, request_url(centre), public_data(), key=key)
    assert again.status_code == 201 and again.json()["again"] is True
    assert Need.objects.count() == 1
    answer = str(Submission.objects.get().answer)
    assert "松本" not in answer and "2222" not in answer and Need.objects.get().reference_token not in answer
    assert "N-0001" in client.get(body["location"]).content.decode()  # the thanks page, in this session


def test_an_expired_stamp_is_answered_with_a_fresh_one_that_then_works(client, centre):
    response = outbox_post(client, request_url(centre), public_data(stamp="expired"))
    assert response.status_code == 400
    body = response.json()
    assert (body["state"], body["code"]) == ("invalid", "stamp") and body["stamp"]
    assert not Need.objects.exists() and not Submission.objects.exists()
    # the phone waits a few seconds before resending with it
    with pytest.MonkeyPatch.context() as patch:
        from ops.needs import forms

        patch.setattr(forms, "MIN_FILL_SECONDS", 0)
        again = outbox_post(client, request_url(centre), public_data(stamp=body["stamp"]))
    assert again.status_code == 201 and Need.objects.count() == 1


def test_field_errors_come_back_in_json(client, centre):
    response = outbox_post(client, request_url(centre), public_data(phone="123", consent=""))
    assert response.status_code == 400
    assert {"phone", "consent"} <= set(response.json()["errors"])
    assert not Need.objects.exists()


@override_settings(PUBLIC_FORM_RATE="2/h")
def test_the_rate_limit_says_when_to_try_again(client, centre):
    for _ in range(2):
        assert outbox_post(client, request_url(centre), public_data()).status_code == 201
    response = outbox_post(client, request_url(centre), public_data())
    assert response.status_code == 429
    body = response.json()
    assert body["state"] == "later" and 3000 < body["retry_after"] <= 3601
    assert Need.objects.count() == 2 and Submission.objects.count() == 2


def test_a_bot_is_answered_like_a_person_and_nothing_is_kept(client, centre):
    response = outbox_post(client, request_url(centre), public_data(website="http://spam.example"))
    assert response.status_code == 201 and response.json()["state"] == "received"
    assert not Need.objects.exists() and not Submission.objects.exists()
    fast = outbox_post(client, request_url(centre), public_data(stamp=old_stamp(0)))
    assert fast.json()["state"] == "received" and not Need.objects.exists()


def test_the_empty_form_may_be_kept_for_two_days_and_a_plain_post_is_html(client, centre):
    response = client.get(request_url(centre))
    assert abs(int(response["X-Offline-Keep"]) - (timezone.now().timestamp() + 2 * 86400)) < 60
    plain = client.post(request_url(centre), public_data(phone="123"))
    assert plain.status_code == 200 and plain["Content-Type"].startswith("text/html")
    assert "X-Offline-Keep" not in plain
