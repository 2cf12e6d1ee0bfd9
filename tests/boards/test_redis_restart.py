"""A Redis restart never leaves a board wrong: sockets drop or go deaf, boards reconnect with backoff and
reload their snapshot, and what was published while Redis was down comes back from the outbox."""
import asyncio
import time

import pytest

from harness import Stack
from ops.centres.models import Role
from tests import factories
from tests.boards.conftest import BoardClient, run_async, run_in_other_process, session_cookie
from tests.conftest import _database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# redis-py 8 reads with a 5 s socket timeout by default and channels-redis blocks in BZPOPMIN for 5 s, so an
# idle read times out; the hub (ops.boards.hub) reads again instead of dropping its sockets.

EMIT_NEED = """
from ops.needs.models import Need
from ops.needs.state import need_state
need = Need.objects.create(centre=centre, number=Need.objects.filter(centre=centre).count() + 1,
                           received_at=__import__("django.utils.timezone").utils.timezone.now(),
                           requester_name="x", address="x")
print(events.emit(centre, "need.created", {"need": need_state(need)}, public={"needs_received": 1}).seq)
"""


@pytest.fixture
def own_redis_stack():
    """uvicorn on the test database with a Redis of its own, which the test may stop and start."""
    stack = Stack(postgres=False, redis=True).start()
    try:
        stack.extra_env = {"DATABASE_URL": _database_url()}
        stack.server_url = stack.start_server()
        yield stack
    finally:
        stack.stop()


def test_boards_reconnect_after_a_redis_restart_and_miss_nothing(own_redis_stack):
    stack = own_redis_stack
    centre = factories.make_centre()
    env = stack.env()
    staff = BoardClient(stack.server_url, centre, cookie=session_cookie(factories.make_user(Role.VIEWER, centre)))
    public = BoardClient(stack.server_url, centre, public=True)
    emit = lambda: int(run_in_other_process(env, centre, EMIT_NEED))  # noqa: E731

    async def scenario():
        boards = [staff, public]
        done = {"stop": False}
        runs = [asyncio.create_task(b.run(lambda _: done["stop"], timeout=120)) for b in boards]
        await wait_for(lambda: all(b.snapshots for b in boards))

        first = await asyncio.to_thread(emit)
        await wait_for(lambda: all(b.seq == first for b in boards))
        assert all(b.received_live == [first] for b in boards)

        stack.stop_redis()
        during = await asyncio.to_thread(emit)  # committed; its publish fails and is swallowed
        await asyncio.sleep(1)
        stack.start_redis()

        # Keep the centre busy until each board hears an event live again (reconnected or re-subscribed).
        deadline = time.monotonic() + 60
        last = during
        while not all(b.received_live[-1] > during for b in boards):
            assert time.monotonic() < deadline, [b.received_live for b in boards]
            last = await asyncio.to_thread(emit)
            await asyncio.sleep(1)
        await wait_for(lambda: all(b.seq == last for b in boards))
        done["stop"] = True
        await asyncio.gather(*runs)
        return first, during, last

    first, during, last = run_async(scenario())

    for board in (staff, public):
        assert board.connections >= 2 or board.catch_ups >= 1, "the board never resynchronised"
        assert board.seq == last
        assert during not in board.received_live  # never published...
        known = board.snapshot["seq"] >= during or during in [e["seq"] for e in board.applied]
        assert known, "...but the board has it, from its snapshot or the catch-up feed"
    needs_on_staff_board = {n["label"] for n in staff.snapshot["needs"]} | {
        e["data"]["need"]["label"] for e in staff.applied}
    assert {"N-0001", "N-0002", "N-0003"} <= needs_on_staff_board
    assert public.snapshot["counters"]["needs_received_total"] + sum(
        e["data"]["needs_received"] for e in public.applied) == last


def test_a_socket_that_outlived_redis_memory_hears_events_again(own_redis_stack):
    """Redis came back empty (every group forgotten) without dropping the sockets: each socket renews its
    membership (BOARD_HEARTBEAT_SECONDS), so events reach it again without a reconnect."""
    import redis
    from django.conf import settings

    stack = own_redis_stack
    centre = factories.make_centre()
    env = stack.env()
    board = BoardClient(stack.server_url, centre, public=True)
    emit = lambda: int(run_in_other_process(env, centre, EMIT_NEED))  # noqa: E731

    async def scenario():
        done = {"stop": False}
        run = asyncio.create_task(board.run(lambda _: done["stop"], timeout=120))
        await wait_for(lambda: board.snapshots == 1)
        redis.Redis.from_url(stack.redis_url).flushall()
        deaf = await asyncio.to_thread(emit)
        await asyncio.sleep(0.5)
        assert deaf not in board.received_live  # the group was forgotten: nothing arrives
        await asyncio.sleep(settings.BOARD_HEARTBEAT_SECONDS + 1)
        heard = await asyncio.to_thread(emit)
        await wait_for(lambda: board.seq == heard, timeout=10)
        done["stop"] = True
        await run
        return deaf, heard

    deaf, heard = run_async(scenario())
    assert board.connections == 1  # the same socket, subscribed again
    assert board.received_live == [heard]
    assert [e["seq"] for e in board.applied] == [deaf, heard]  # the missed one came from the catch-up feed


def test_an_idle_board_socket_stays_open(own_redis_stack):
    stack = own_redis_stack
    centre = factories.make_centre()
    board = BoardClient(stack.server_url, centre, public=True)

    async def scenario():
        done = {"stop": False}
        run = asyncio.create_task(board.run(lambda _: done["stop"], timeout=60))
        await wait_for(lambda: board.snapshots == 1)
        await asyncio.sleep(12)  # a quiet spell at the centre
        seq = await asyncio.to_thread(lambda: int(run_in_other_process(stack.env(), centre, EMIT_NEED)))
        await wait_for(lambda: board.seq == seq, timeout=10)
        done["stop"] = True
        await run

    run_async(scenario())
    assert board.connections == 1


async def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)
