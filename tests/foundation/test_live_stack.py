"""The real moving parts: uvicorn, channels-redis across processes, a Celery worker, /healthz."""
import asyncio
import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
import websockets

from harness import Stack, free_port
from harness.stack import ROOT
from ops.centres.models import Role
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _get_json(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def test_healthz_all_up(stack):
    status, body = _get_json(stack.server_url + "/healthz")
    assert status == 200, body
    assert body["status"] == "ok"
    assert body["down"] == []
    assert set(body["checks"]) == {"database", "redis", "celery"}


def test_healthz_names_redis_and_celery_when_redis_is_down(stack):
    dead = Stack(postgres=False, redis=False)
    try:
        url = dead.start_server(env=stack.env(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"))
        status, body = _get_json(url + "/healthz")
    finally:
        dead.stop()
    assert status == 503
    assert body["down"] == ["redis", "celery"]
    assert body["checks"]["database"]["ok"] is True


def test_healthz_names_celery_when_no_worker_listens(stack):
    # Redis database 15 has its own broadcast channels (kombu prefixes them by db): no worker there.
    lonely = Stack(postgres=False, redis=False)
    try:
        redis_15 = stack.env()["REDIS_URL"].rsplit("/", 1)[0] + "/15"
        url = lonely.start_server(env=stack.env(REDIS_URL=redis_15))
        status, body = _get_json(url + "/healthz")
    finally:
        lonely.stop()
    assert status == 503
    assert body["down"] == ["celery"]


def test_celery_task_runs_in_a_real_worker(stack):
    # On the stack's broker (this process's own tasks go where no worker reads: tests/conftest.py)
    from celery import Celery

    broker = stack.env()["REDIS_URL"]
    producer = Celery(broker=broker, backend=broker, set_as_current=False)
    try:
        assert producer.send_task("dvc.ping", args=[42]).get(timeout=30) == {"pong": 42}
    finally:
        producer.close()


EMIT_SCRIPT = """
import django, sys
django.setup()
from django.db import transaction
from ops import events
with transaction.atomic():
    events.emit(int(sys.argv[1]), "centre.changed", {"hello": "board"})
"""


def _ws_url(stack, centre):
    return stack.server_url.replace("http://", "ws://") + f"/ws/c/{centre.slug}/board/"


def test_event_from_another_process_reaches_a_connected_board(stack, client):
    centre = factories.make_centre()
    client.force_login(factories.make_user(Role.COORDINATOR, centre))
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    async def scenario():
        async with websockets.connect(_ws_url(stack, centre), additional_headers={
                "Cookie": cookie, "Origin": stack.server_url}) as ws:
            out = subprocess.run([sys.executable, "-c", EMIT_SCRIPT, str(centre.pk)], cwd=ROOT, env=stack.env(),
                                 capture_output=True, text=True, timeout=60)
            assert out.returncode == 0, out.stderr
            return json.loads(await asyncio.wait_for(ws.recv(), timeout=10))

    message = asyncio.run(scenario())
    assert message["kind"] == "centre.changed"
    assert message["seq"] == 1
    assert message["data"] == {"hello": "board"}


def test_board_socket_refuses_anonymous_with_4401_not_http_403(stack):
    """Issue 17: the refusal used to close before accepting, which browsers log as HTTP 403 (an authorisation
    failure); it is now accepted and closed with 4401, which the board puts in words and stops retrying on."""
    centre = factories.make_centre()

    async def scenario():
        async with websockets.connect(_ws_url(stack, centre), additional_headers={"Origin": stack.server_url}) as ws:
            await asyncio.wait_for(ws.recv(), timeout=5)

    with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
        asyncio.run(scenario())
    assert closed.value.rcvd.code == 4401
