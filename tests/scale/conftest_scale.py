"""The production shape on one machine, for the scale-out tests: two uvicorn web processes, two Celery workers
(distinct node names, one process each) and ONE beat of its own, all on the test database and one Redis
database, with their mail going to a real SMTP server (tests/smtp.py) whose envelopes the tests count.

Redis database 11 is this shape's own: the session's worker (database 0), the test process's own sends (12),
tests/messages' fault worker (13), `mail_worker` (14) and the lonely /healthz server (15) never meet it.
"""
import contextlib
import email
import json
import os
import signal
import threading
import urllib.error
import urllib.request

import pytest
import redis
from django.conf import settings
from django.test import Client

from tests.conftest import _database_url
from tests.smtp import smtp_server

REDIS_DB = 11


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    """{"webs": [url A, url B], "stack", "producer" (a Celery client of this shape's broker), "inbox"}."""
    from celery import Celery

    from harness import Stack, free_port

    with django_db_blocker.unblock():
        db_url = _database_url()
    broker = settings.REDIS_URL.rsplit("/", 1)[0] + f"/{REDIS_DB}"
    with redis.Redis.from_url(broker) as client:
        client.flushdb()  # no task, channel message or rate count of an earlier run
    port = free_port()
    controller, inbox = smtp_server(port)
    stack = Stack(postgres=False, redis=False)
    stack.extra_env = {"DATABASE_URL": db_url, "REDIS_URL": broker, "EMAIL_URL": f"smtp://127.0.0.1:{port}",
                       "MAIL_RETRY_BACKOFF": "1", "DJANGO_SETTINGS_MODULE": "dvc.settings_test"}
    producer = Celery(broker=broker, backend=broker, set_as_current=False)
    try:
        webs = stack.start_scaled(webs=2, workers=2, beat=True,
                                  beat_env=stack.env(DJANGO_SETTINGS_MODULE="tests.scale.settings_scale"))
        yield {"webs": webs, "stack": stack, "producer": producer, "inbox": inbox, "broker": broker}
    finally:
        producer.close()
        for proc in stack.procs.values():  # all asked to stop at once, then each awaited (not one after another)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        stack.stop()
        controller.stop()


def log_of(scaled, name: str) -> str:
    path = scaled["stack"].dir / f"{name}.log"
    return path.read_text(errors="replace") if path.exists() else ""


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def ws_url(server_url: str, path: str) -> str:
    return server_url.replace("http://", "ws://") + path


def get_json(url: str, cookie: str | None = None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback URL we built)
        return json.load(response)


def post_json(url: str, body: dict, headers: dict) -> tuple[int, dict | None]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, None


def together(actions):
    """Run each callable in a thread of its own, released at once by a barrier; [(result, error)] in order."""
    barrier = threading.Barrier(len(actions))
    out = [(None, None)] * len(actions)

    def run(i, action):
        try:
            barrier.wait(timeout=30)
            out[i] = (action(), None)
        except Exception as exc:  # returned: the caller asserts on it
            out[i] = (None, exc)

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return out


def message_ids(envelopes) -> list[str]:
    return [email.message_from_bytes(e.original_content or e.content)["Message-ID"] for e in envelopes]
