"""ops.offline.keys: what counts as the outbox's key and typed time, and the once-per-key wrapper."""
import json
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from ops.offline import keys
from ops.offline.models import Submission

rf = RequestFactory()


def body(response) -> dict:
    return json.loads(response.content)
GOOD = "A1b2C3d4E5f6G7h8_-xy"


@pytest.mark.parametrize("value", ["short", "x" * 65, "has space in it!!!", "日本語の鍵は使えませんよ。。。。", "a/b" * 8, ""])
def test_a_malformed_key_counts_as_no_key(value):
    assert keys.submit_key(rf.post("/x/", {"submit_key": value})) is None
    assert keys.submit_key(rf.post("/x/", HTTP_X_SUBMIT_KEY=value)) is None


def test_the_key_comes_from_the_header_or_the_form():
    assert keys.submit_key(rf.post("/x/", HTTP_X_SUBMIT_KEY=GOOD)) == GOOD
    assert keys.submit_key(rf.post("/x/", {"submit_key": GOOD})) == GOOD
    assert keys.submit_key(rf.post("/x/", {"submit_key": GOOD + "\n"})) is None


def test_only_a_post_with_a_key_and_asking_for_json_is_the_outbox():
    assert keys.from_outbox(rf.post("/x/", HTTP_X_SUBMIT_KEY=GOOD, HTTP_ACCEPT="application/json"))
    assert not keys.from_outbox(rf.post("/x/", HTTP_X_SUBMIT_KEY=GOOD, HTTP_ACCEPT="text/html"))
    assert not keys.from_outbox(rf.post("/x/", HTTP_ACCEPT="application/json"))
    assert not keys.from_outbox(rf.get("/x/", HTTP_X_SUBMIT_KEY=GOOD, HTTP_ACCEPT="application/json"))


def test_the_typed_time_is_kept_between_the_start_and_now():
    now = timezone.now()
    start = now - timedelta(hours=3)

    def typed(value):
        return keys.typed_at(rf.post("/x/", {"typed_at": value}), not_before=start, now=now)

    an_hour_ago = now - timedelta(hours=1)
    assert typed(an_hour_ago.isoformat()) == an_hour_ago
    assert typed((now + timedelta(days=1)).isoformat()) == now  # a phone clock running fast
    assert typed((now - timedelta(days=1)).isoformat()) == start
    assert start <= typed("2026-12-07T14:05:00+09:00") <= now
    assert typed(an_hour_ago.isoformat().replace("+00:00", "Z")) == an_hour_ago
    for bad in ["", "yesterday", "2026-12-07T14:05:00", "9" * 100]:
        assert typed(bad) is None


@pytest.mark.django_db
def test_a_key_is_answered_once_and_then_the_same_answer_again():
    calls = []

    def action():
        calls.append(1)
        return keys.received("受け付けました。", status=201)

    request = rf.post("/s/abc/", HTTP_X_SUBMIT_KEY=GOOD, HTTP_ACCEPT="application/json")
    first = keys.once(request, action)
    second = keys.once(request, action)
    assert (first.status_code, second.status_code) == (201, 201)
    assert len(calls) == 1
    assert body(first)["state"] == "received" and "again" not in body(first)
    assert body(second) == {**body(first), "again": True}
    assert Submission.objects.get().answer == body(first)


@pytest.mark.django_db
def test_a_refusal_takes_the_key_back_so_a_resend_is_judged_afresh():
    answers = iter([keys.later("あとで", retry_after=60), keys.invalid("だめ", {"hours": ["数字"]}),
                    keys.received("受け付けました。")])
    request = rf.post("/s/abc/", HTTP_X_SUBMIT_KEY=GOOD, HTTP_ACCEPT="application/json")
    assert keys.once(request, lambda: next(answers)).status_code == 429
    assert not Submission.objects.exists()
    assert body(keys.once(request, lambda: next(answers)))["errors"] == {"hours": ["数字"]}
    assert keys.once(request, lambda: next(answers)).status_code == 200
    assert Submission.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_on_another_path_is_another_submission():
    for path in ("/s/one/", "/s/two/"):
        request = rf.post(path, HTTP_X_SUBMIT_KEY=GOOD, HTTP_ACCEPT="application/json")
        assert "again" not in body(keys.once(request, lambda: keys.received("ok")))
    assert Submission.objects.count() == 2


@pytest.mark.django_db
def test_keys_older_than_two_weeks_are_purged():
    old = Submission.objects.create(scope="/s/a/", key=GOOD)
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=15))
    fresh = Submission.objects.create(scope="/s/b/", key=GOOD)
    assert keys.purge_submissions() == 1
    assert list(Submission.objects.all()) == [fresh]


def test_keep_offline_says_until_when_in_unix_seconds():
    from django.http import HttpResponse

    until = timezone.now() + timedelta(days=2)
    assert keys.keep_offline(HttpResponse(), until)["X-Offline-Keep"] == str(int(until.timestamp()))
