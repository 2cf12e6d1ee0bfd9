"""A burst of refused handshakes never stalls a server process: the boards already open keep hearing events.

Issue 17: after four refused websocket handshakes from one client (a wrong Origin, not logged in), one web
process stopped delivering events to every socket until restarted. Channels' origin check refused through a
consumer that still received on the process's channel layer, and that receive, cancelled around
channels-redis's shared receive lock, left the hub's receive waiting forever."""
import asyncio
import time

import pytest
import websockets

from harness import Stack
from tests import factories
from tests.boards.conftest import run_async, run_in_other_process, ws_url
from tests.boards.test_redis_restart import EMIT_NEED
from tests.conftest import _database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROUNDS = int(__import__("os").environ.get("REFUSED_ROUNDS", 5))


@pytest.fixture
def server():
    """One uvicorn process of our own: a stalled process must not leak into other tests."""
    from django.conf import settings

    stack = Stack(postgres=False, redis=False)
    stack.extra_env = {"DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL}
    try:
        stack.server_url = stack.start_server()
        yield stack
    finally:
        stack.stop()


async def refused(url, path, origin) -> int | None:
    """Open a handshake that the server refuses; the close code the browser would see (None: HTTP refusal)."""
    try:
        async with websockets.connect(ws_url(url, path), additional_headers={"Origin": origin},
                                      open_timeout=5) as ws:
            await asyncio.wait_for(ws.recv(), timeout=5)
    except websockets.exceptions.InvalidStatus:
        return None
    except websockets.exceptions.ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None
    raise AssertionError(f"{path} from {origin} was not refused")


def test_a_burst_of_refused_handshakes_never_stalls_the_boards(server):
    """Each round: a board of another centre comes and goes (its hub starts and stops), four handshakes are
    refused, an event is published; the board open all along hears it within 5 s."""
    centre, other = factories.make_centre(), factories.make_centre()
    url, env = server.server_url, server.env()
    public, staff = f"/ws/p/{centre.slug}/board/", f"/ws/c/{centre.slug}/board/"
    passing = f"/ws/p/{other.slug}/board/"
    emit = lambda: int(run_in_other_process(env, centre, EMIT_NEED))  # noqa: E731

    async def hears(board, seq) -> bool:
        deadline = time.monotonic() + 5
        try:
            while True:
                frame = await asyncio.wait_for(board.recv(), timeout=deadline - time.monotonic())
                if f'"seq":{seq},' in frame:
                    return True
        except TimeoutError:
            return False

    async def scenario():
        stalled = []
        async with websockets.connect(ws_url(url, public), additional_headers={"Origin": url}) as board:
            for attempt in range(ROUNDS):
                async with websockets.connect(ws_url(url, passing), additional_headers={"Origin": url}):
                    await asyncio.sleep(0.05)
                await asyncio.gather(
                    refused(url, public, "https://evil.example"), refused(url, staff, "https://evil.example"),
                    refused(url, staff, url), refused(url, public, "https://evil.example"))
                seq = await asyncio.to_thread(emit)
                if not await hears(board, seq):
                    stalled.append(attempt)
        return stalled

    assert run_async(scenario()) == [], "the process stopped delivering events after refused handshakes"


@pytest.mark.usefixtures("real_redis")
def test_refused_handshakes_dropped_at_any_moment_never_stall_the_process_hub():
    """The same, in one event loop with the real application and Redis: refused peers wait on the channel
    layer while events flow and another centre's hub stops, and hang up at random moments (which decided
    whether a receive was cancelled while holding channels-redis's shared receive lock)."""
    import random

    from channels.db import database_sync_to_async

    from dvc.asgi import application
    from ops import events
    from tests.boards.conftest import WebsocketCommunicator

    centre, other = factories.make_centre(), factories.make_centre()
    good = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    evil = [(b"origin", b"https://evil.example"), (b"host", b"127.0.0.1")]
    path = f"/ws/p/{centre.slug}/board/"
    emit = database_sync_to_async(lambda n: events.emit(centre, "need.created", {}, public={"needs_received": 0}).seq)
    rng = random.Random(17)

    async def refused_then_gone(delay):
        socket = WebsocketCommunicator(application, path, headers=evil)
        connected, _ = await socket.connect(timeout=5)
        assert not connected or (await socket.receive_output(5))["type"] == "websocket.close"
        await asyncio.sleep(delay)
        await socket.disconnect()

    async def passing_board(delay):
        """A board of another centre that comes and goes: the last socket leaving stops its group's hub."""
        socket = WebsocketCommunicator(application, f"/ws/p/{other.slug}/board/", headers=good)
        assert (await socket.connect(timeout=5))[0]
        await asyncio.sleep(delay)
        await socket.disconnect()

    async def scenario():
        board = WebsocketCommunicator(application, path, headers=good)
        assert (await board.connect(timeout=5))[0]
        await asyncio.sleep(0.2)
        stalled = []
        for attempt in range(40):
            # Four refused peers wait on the layer while events flow, and hang up at random moments.
            burst = asyncio.gather(*(refused_then_gone(rng.random() * rng.choice([0.01, 1])) for _ in range(4)),
                                   passing_board(rng.random() * rng.choice([0.01, 1])))
            while not burst.done():
                seq = await emit(attempt)
                try:
                    frame = await board.receive_output(6)
                    while '"heartbeat"' in frame["text"]:
                        frame = await board.receive_output(6)
                except TimeoutError:
                    stalled.append(attempt)
                    break
                assert f'"seq":{seq},' in frame["text"], frame
                await asyncio.sleep(0.02)
            await burst
            if stalled:
                break
        await board.disconnect()
        return stalled

    assert run_async(scenario()) == [], "the process stopped delivering events after refused handshakes"


@pytest.mark.usefixtures("real_redis")
def test_a_hub_keeps_receiving_while_receives_around_it_are_cancelled():
    """The stall itself, at the hub: what Channels' origin check did on each refusal (a receive on the
    process's channel layer, cancelled when the peer hung up) and another group's hub stopping, at random
    moments. On Python 3.11 such a cancel could be swallowed inside redis-py's read while the receive held
    channels-redis's shared receive lock, and every later receive of the process waited for ever."""
    import random

    from channels.layers import get_channel_layer

    from ops.boards import hub

    class Socket:
        def __init__(self):
            self.got = asyncio.Queue()

        async def send(self, text_data):
            self.got.put_nowait(text_data)

        async def close(self, code):
            self.got.put_nowait(code)

    rng = random.Random(17)

    async def scenario():
        layer = get_channel_layer()
        board = Socket()
        board_hub = hub.hub_for("public.test-stall")
        await board_hub.start()
        board_hub.add(board)
        passing, socket = hub.hub_for("public.test-passing"), Socket()
        await passing.start()
        passing.add(socket)
        for attempt in range(150):
            denied = [asyncio.create_task(layer.receive(await layer.new_channel())) for _ in range(4)]
            await asyncio.sleep(rng.random() * 0.01)
            # The other board leaves (its hub stops, perhaps while holding the lock) and another comes.
            await passing.remove(socket)
            passing, socket = hub.hub_for("public.test-passing"), Socket()
            await passing.start()
            passing.add(socket)
            for task in denied:
                await asyncio.sleep(rng.random() * 0.002)
                task.cancel()
            await layer.group_send("public.test-stall", {"type": "board.event", "text": str(attempt)})
            try:
                assert await asyncio.wait_for(board.got.get(), 6) == str(attempt)
            except TimeoutError:
                return attempt
        await board_hub.remove(board)
        await passing.remove(socket)
        return None

    assert run_bounded(scenario(), 60) is None, "the hub stopped receiving"


def run_bounded(coro, seconds):
    """Run in a loop of its own on a daemon thread: a stalled loop (a task whose cancel was swallowed never
    ends, so asyncio.run could not shut it down) fails the test instead of hanging it."""
    import threading

    box = {"result": "stalled: a hub stop or a receive never returned"}

    def target():
        loop = asyncio.new_event_loop()
        box["result"] = loop.run_until_complete(coro)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    return box["result"]
