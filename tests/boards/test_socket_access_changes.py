"""A staff board's socket lasts only as long as its session and role (issue 17: it kept receiving events after
logout and after the role was removed), and every board socket hears a heartbeat with the latest seq.
Against a real uvicorn; the logout and role changes happen in this process, as in another web process."""
import asyncio
import json

import pytest
import websockets
from django.db import connection
from django.test import Client

from harness import Stack
from ops.centres.models import Membership, Role
from tests import factories
from tests.boards.conftest import run_async, session_cookie, ws_url
from tests.conftest import _database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quick_server():
    """uvicorn with the timers short: heartbeat every second, access re-checked every two."""
    from django.conf import settings

    stack = Stack(postgres=False, redis=False)
    stack.extra_env = {"DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL,
                       "BOARD_HEARTBEAT_SECONDS": "1", "BOARD_ACCESS_RECHECK_SECONDS": "2"}
    try:
        yield stack.start_server()
    finally:
        stack.stop()


def closed_after(url, path, cookie, change, *, within) -> tuple[int | None, list]:
    """Open the socket, run `change()` (in a thread), and return the close code that follows within `within`
    seconds (None: still open) and the frames heard meanwhile."""
    async def scenario():
        frames = []
        async with websockets.connect(ws_url(url, path), additional_headers={"Origin": url, "Cookie": cookie}) as ws:
            await asyncio.sleep(0.3)  # joined
            await asyncio.to_thread(change)
            try:
                async with asyncio.timeout(within):
                    async for frame in ws:
                        frames.append(json.loads(frame))
            except TimeoutError:
                return None, frames
            except websockets.exceptions.ConnectionClosed:
                pass
            return ws.close_code, frames

    return run_async(scenario())


def test_logout_closes_the_staff_socket_at_once(stack, centre):
    user = factories.make_user(Role.COORDINATOR, centre)
    cookie = session_cookie(user)
    client = Client()
    client.cookies["sessionid"] = cookie.split("=", 1)[1]
    code, _ = closed_after(stack.server_url, f"/ws/c/{centre.slug}/board/", cookie,
                           lambda: client.post("/accounts/logout/"), within=5)
    assert code == 4401


def test_removing_the_role_closes_the_staff_socket_at_once(stack, centre):
    user = factories.make_user(Role.VIEWER, centre)
    code, _ = closed_after(stack.server_url, f"/ws/c/{centre.slug}/board/", session_cookie(user),
                           lambda: Membership.objects.filter(user=user).delete(), within=5)
    assert code == 4403


def test_deactivating_the_account_closes_the_staff_socket(stack, centre):
    user = factories.make_user(Role.ADMIN, centre)

    def deactivate():
        user.is_active = False
        user.save()

    code, _ = closed_after(stack.server_url, f"/ws/c/{centre.slug}/board/", session_cookie(user), deactivate,
                           within=5)
    assert code == 4401  # the session no longer gives a user


def test_a_role_removed_without_any_notice_is_caught_by_the_timer(quick_server, centre):
    """No signal (raw SQL): the re-check on the timer closes the socket all the same."""
    user = factories.make_user(Role.RECEPTION, centre)

    def remove_quietly():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Membership._meta.db_table} WHERE user_id = %s", [user.pk])

    code, frames = closed_after(quick_server, f"/ws/c/{centre.slug}/board/", session_cookie(user), remove_quietly,
                                within=6)
    assert code == 4403
    assert frames and all(f == {"kind": "heartbeat", "seq": 0} for f in frames)  # heard only heartbeats


def test_staff_of_the_centre_keep_their_socket_and_hear_heartbeats(quick_server, centre):
    user = factories.make_user(Role.COORDINATOR, centre)
    code, frames = closed_after(quick_server, f"/ws/c/{centre.slug}/board/", session_cookie(user), lambda: None,
                                within=4.5)
    assert code is None
    assert len(frames) >= 3 and {f["kind"] for f in frames} == {"heartbeat"}
