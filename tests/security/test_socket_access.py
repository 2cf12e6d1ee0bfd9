"""Who may open which websocket: every route of dvc.routing, through the real ASGI application (origin check,
session and cookie auth, the Redis channel layer), asked by every kind of caller.

SOCKETS is the table, keyed by route; a route dvc.routing serves without an entry fails the suite.
"""
import asyncio

import pytest

from dvc.asgi import application
from dvc.routing import websocket_urlpatterns
from ops.centres.models import Role
from tests.boards.conftest import WebsocketCommunicator, run_async
from tests.security.conftest import ANONYMOUS, OUTSIDER, PRINCIPALS, VOLUNTEER, build_world, client_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("real_redis")]

STAFF = frozenset({Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.RECEPTION, Role.WELFARE, Role.LEADER,
                   Role.VIEWER})
EVERYONE = frozenset(PRINCIPALS)
assert {VOLUNTEER, ANONYMOUS, OUTSIDER} <= EVERYONE - STAFF

ORIGIN = "http://127.0.0.1"
SOCKETS = {
    "ws/c/<slug:centre>/board/": STAFF,  # the staff board: every role of this centre, nobody else
    "ws/p/<slug:centre>/board/": EVERYONE,  # the public board: aggregates only (tests/boards/test_public_privacy)
}


def opens(attempts) -> list[bool]:
    """[(path, cookies, origin)] -> whether each handshake was accepted; all in one event loop (one board
    hub per loop, as in a server process). Sockets close together at the end: a hub's last socket leaving
    takes a moment."""
    async def handshake(path, cookies, origin):
        headers = [(b"origin", origin.encode()), (b"host", b"127.0.0.1")]
        if cookies:
            headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await communicator.connect(timeout=5)
        return communicator, connected

    async def all_of_them():
        results = [await handshake(*attempt) for attempt in attempts]
        await asyncio.gather(*(communicator.disconnect() for communicator, _ in results))
        return [connected for _, connected in results]

    return run_async(all_of_them())


def close_codes(attempts) -> list[int | None]:
    """[(path, cookies, origin)] -> the close code of each refused handshake (None: closed before accepting)."""
    async def one(path, cookies, origin):
        headers = [(b"origin", origin.encode()), (b"host", b"127.0.0.1")]
        if cookies:
            headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, code = await communicator.connect(timeout=5)
        await communicator.disconnect()
        assert not connected, (path, origin)
        return code

    async def all_of_them():
        return [await one(*attempt) for attempt in attempts]

    return run_async(all_of_them())


def cookies_of(world, who) -> dict:
    return {name: morsel.value for name, morsel in client_for(world, who).cookies.items()}


def path_of(pattern, world) -> str:
    return "/" + pattern.replace("<slug:centre>", world.centre.slug)


def test_every_socket_route_has_an_entry():
    served = [str(route.pattern) for route in websocket_urlpatterns]
    assert sorted(served) == sorted(SOCKETS), "a websocket route without an entry in SOCKETS, or a stale one"


def test_who_may_open_each_socket(media):
    world = build_world()
    cases = [(pattern, who) for pattern in SOCKETS for who in PRINCIPALS]
    results = opens([(path_of(pattern, world), cookies_of(world, who), ORIGIN) for pattern, who in cases])
    wrong = {case: "opened" if ok else "refused" for case, ok in zip(cases, results, strict=True)
             if ok != (case[1] in SOCKETS[case[0]])}
    assert wrong == {}


def test_a_staff_cookie_from_another_site_is_refused(media):
    """Cross-site websocket hijacking: a page elsewhere cannot ride the coordinator's session. Refused with
    4403 after accepting (dvc.origin), not before: a close before accepting is an HTTP 403 in the browser."""
    world = build_world()
    path, cookies = path_of("ws/c/<slug:centre>/board/", world), cookies_of(world, Role.ADMIN)
    assert opens([(path, cookies, ORIGIN), (path, cookies, "https://evil.example")]) == [True, False]
    assert close_codes([(path, cookies, "https://evil.example"), (path, {}, ORIGIN),
                        (path_of("ws/p/<slug:centre>/board/", world), {}, "https://evil.example")]) == [4403, 4401, 4403]


def test_a_refused_handshake_never_touches_the_channel_layer(media, monkeypatch):
    """Channels' own origin check refused through a consumer that received on the process's channel layer;
    that receive, cancelled when the peer hung up, could stall every board of the process (issue 17)."""
    from channels_redis.core import RedisChannelLayer

    touched = []
    for name in ("new_channel", "receive"):
        original = getattr(RedisChannelLayer, name)
        monkeypatch.setattr(RedisChannelLayer, name,
                            lambda self, *a, _original=original, _name=name, **k: touched.append(_name) or _original(self, *a, **k))
    world = build_world()
    staff, public = path_of("ws/c/<slug:centre>/board/", world), path_of("ws/p/<slug:centre>/board/", world)
    codes = close_codes([(staff, cookies_of(world, Role.ADMIN), "https://evil.example"), (staff, {}, ORIGIN),
                         (public, {}, "https://evil.example"), (staff, cookies_of(world, OUTSIDER), ORIGIN)])
    assert codes == [4403, 4401, 4403, 4403] and touched == []


def test_what_each_staff_role_hears_of_a_resident(media):
    """The staff socket, like every page: only roles with residents' data (ops.privacy) hear the welfare flag
    or a position finer than about 100 m; every other role hears the same event without them."""
    from channels.db import database_sync_to_async

    from ops.needs.services import update_need
    from tests.security.test_access_matrix import DETAIL_SECRETS, RESIDENTS_DATA

    world = build_world()
    roles = sorted(STAFF)
    path = path_of("ws/c/<slug:centre>/board/", world)
    cookies = {who: "; ".join(f"{k}={v}" for k, v in cookies_of(world, who).items()) for who in roles}

    async def hear():
        sockets = []
        for who in roles:
            headers = [(b"origin", ORIGIN.encode()), (b"host", b"127.0.0.1"), (b"cookie", cookies[who].encode())]
            socket = WebsocketCommunicator(application, path, headers=headers)
            assert (await socket.connect(timeout=5))[0], who
            sockets.append(socket)
        await asyncio.sleep(0.2)  # the hubs have joined their groups
        await database_sync_to_async(update_need)(world.need, by=world.users[Role.INTAKE], people_needed=3)
        frames = [(await socket.receive_output(5))["text"] for socket in sockets]
        await asyncio.gather(*(socket.disconnect() for socket in sockets))
        return frames

    heard = dict(zip(roles, run_async(hear()), strict=True))
    assert all('"people_needed":3' in frame for frame in heard.values())
    leaks = {who: [s for s in DETAIL_SECRETS if s in frame] for who, frame in heard.items() if who not in RESIDENTS_DATA}
    assert leaks == dict.fromkeys(leaks, []) and set(leaks) == STAFF - RESIDENTS_DATA
    assert all('"welfare":true' in heard[who] and "36.651234" in heard[who] for who in RESIDENTS_DATA)
