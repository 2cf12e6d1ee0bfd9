"""Board test helpers: a websocket client that follows the same protocol as board.js (snapshot + seq,
catch-up over events.json, snapshot reload on reconnect), and a way to emit events from another process."""
import asyncio
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest
import websockets
from asgiref.testing import ApplicationCommunicator
from django.test import Client

from harness.stack import ROOT
from ops.centres.models import Role
from tests import factories
from tests.e2e.conftest import new_page, screenshot_dir  # noqa: F401 (for the *_in_browser tests)

# Runs in a separate process: sys.argv[1] is Python code executed inside one transaction, with `centre`.
EMIT_SCRIPT = """
import django, sys
django.setup()
from django.db import transaction
from ops import events
from ops.centres.models import Centre
centre = Centre.objects.get(pk=int(sys.argv[1]))
with transaction.atomic():
    exec(sys.argv[2])
"""


def run_async(coro):
    """asyncio.run in a thread of its own: a browser test's Playwright may hold this thread's event loop."""
    box = {}

    def target():
        try:
            box["result"] = asyncio.run(coro)
        except BaseException as err:  # re-raised in the test's thread
            box["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("result")


def run_in_other_process(env: dict, centre, code: str) -> str:
    """Run `code` in a fresh Python process inside one transaction; returns what it printed."""
    out = subprocess.run([sys.executable, "-c", EMIT_SCRIPT, str(centre.pk), code], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def get_json(url: str, cookie: str | None = None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, None


def get_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


@pytest.fixture
def staff_cookie(centre):
    return session_cookie(factories.make_user(Role.COORDINATOR, centre))


def ws_url(server_url: str, path: str) -> str:
    return server_url.replace("http://", "ws://") + path


class BoardClient:
    """The board.js protocol in Python, against a real server: what a screen would show, and how it got it."""

    def __init__(self, server_url, centre, *, public=False, cookie=None):
        self.server_url, self.cookie, self.public = server_url, cookie, public
        if public:
            self.ws_path = f"/ws/p/{centre.slug}/board/"
            self.snapshot_url = f"{server_url}/p/{centre.slug}/board.json"
            self.events_url = f"{server_url}/p/{centre.slug}/events.json"
        else:
            self.ws_path = f"/ws/c/{centre.slug}/board/"
            self.snapshot_url = f"{server_url}/c/{centre.slug}/board/snapshot.json"
            self.events_url = f"{server_url}/c/{centre.slug}/board/events.json"
        self.seq = None
        self.snapshot = None
        self.applied: list[dict] = []  # events applied after the last snapshot, in order
        self.received_live: list[int] = []  # seqs that came over the socket
        self.snapshots = 0
        self.catch_ups = 0
        self.connections = 0
        self.heartbeats: list[int | None] = []

    async def _get(self, url):
        status, body = await asyncio.to_thread(get_json, url, self.cookie)
        assert status == 200, (url, status)
        return body

    async def load_snapshot(self):
        self.snapshot = await self._get(self.snapshot_url)
        self.seq = self.snapshot["seq"]
        self.applied = []
        self.snapshots += 1

    async def catch_up(self):
        body = await self._get(f"{self.events_url}?since={self.seq}")
        self.catch_ups += 1
        if body["reload"]:
            await self.load_snapshot()
            return
        for event in body["events"]:
            self._apply(event)

    def _apply(self, event):
        if event["seq"] == self.seq + 1:
            self.seq = event["seq"]
            self.applied.append(event)

    async def handle(self, event):
        if event.get("kind") == "heartbeat":  # alive, and the latest seq: one we never got is caught up
            self.heartbeats.append(event["seq"])
            if event["seq"] is not None and event["seq"] > self.seq:
                await self.catch_up()
            return
        self.received_live.append(event["seq"])
        if event["seq"] <= self.seq:
            return
        if event["seq"] > self.seq + 1:
            await self.catch_up()
        self._apply(event)

    async def run(self, until, *, timeout=30.0, backoff=(0.2, 2.0)):
        """Stay connected (reconnecting with backoff, reloading the snapshot each time) until `until(self)`."""
        headers = {"Origin": self.server_url}
        if self.cookie:
            headers["Cookie"] = self.cookie
        attempt = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            try:
                async with websockets.connect(ws_url(self.server_url, self.ws_path), additional_headers=headers,
                                              open_timeout=5) as ws:
                    self.connections += 1
                    attempt = 0
                    await self.load_snapshot()
                    while not until(self):
                        remaining = deadline - loop.time()
                        if remaining <= 0:
                            return False
                        try:
                            raw = await asyncio.wait_for(ws.recv(), timeout=min(remaining, 0.5))
                        except TimeoutError:
                            continue
                        await self.handle(json.loads(raw))
                    return True
            except (OSError, websockets.exceptions.WebSocketException, TimeoutError):
                await asyncio.sleep(min(backoff[1], backoff[0] * 2 ** attempt))
                attempt += 1
        return until(self)


class WebsocketCommunicator(ApplicationCommunicator):
    """channels.testing.WebsocketCommunicator's core (that module imports daphne, which we do not install)."""

    def __init__(self, application, path, headers=None):
        super().__init__(application, {
            "type": "websocket", "path": path, "raw_path": path.encode(), "query_string": b"",
            "headers": headers or [], "subprotocols": [], "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        })

    async def connect(self, timeout=5):
        """(True, subprotocol) when the socket stays open; (False, close code) when it is refused, whether
        closed before accepting (HTTP 403 in a browser, code None) or accepted and closed at once, as our
        refusals do (dvc.origin.Close)."""
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, None
        try:  # not receive_output: its timeout would cancel the application
            following = await asyncio.wait_for(self.output_queue.get(), 0.1)
        except TimeoutError:
            return True, response.get("subprotocol")
        if following["type"] == "websocket.close":
            return False, following.get("code", 1000)
        self.output_queue.put_nowait(following)  # an early frame: leave it for the test (order kept: queue was empty)
        return True, response.get("subprotocol")

    async def receive_json_from(self, timeout=5):
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code=1000, timeout=2):
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)
