"""Who may open which board socket, decided at the handshake (through the real ASGI app, session auth and
the Redis channel layer). channels.testing needs daphne, which we do not install: conftest has the same
small communicator over asgiref's."""

import pytest
from channels.layers import get_channel_layer

from dvc.asgi import application
from ops import events, privacy
from ops.centres.models import Role
from tests import factories
from tests.boards.conftest import WebsocketCommunicator, run_async, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("real_redis")]


def handshake(path, cookie=None, *, then=None):
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))

    async def scenario():
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, detail = await communicator.connect(timeout=5)
        result = await then(communicator) if (connected and then) else detail
        await communicator.disconnect()
        return connected, result

    return run_async(scenario())


def staff_path(centre):
    return f"/ws/c/{centre.slug}/board/"


@pytest.mark.parametrize("who", ["anonymous", "no role anywhere", "staff of another centre"])
def test_staff_board_socket_refuses_everyone_but_its_staff(centre, other_centre, who):
    cookie = {
        "anonymous": None,
        "no role anywhere": session_cookie(factories.make_user()),
        "staff of another centre": session_cookie(factories.make_user(Role.ADMIN, other_centre)),
    }[who]
    connected, code = handshake(staff_path(centre), cookie)
    assert connected is False
    # Accepted, then closed with a code the board reads (a close before accepting is HTTP 403 in a browser).
    assert code == (4401 if who == "anonymous" else 4403)


@pytest.mark.parametrize(("role", "audience"), [(Role.VIEWER, privacy.LIMITED), (Role.RECEPTION, privacy.LIMITED),
                                              (Role.ADMIN, privacy.FULL)])
def test_staff_of_the_centre_connect_and_receive_its_events(centre, other_centre, role, audience):
    """Each role hears its audience's group (ops.privacy): the one without residents' data unless it sees it."""
    cookie = session_cookie(factories.make_user(role, centre))
    other = privacy.FULL if audience == privacy.LIMITED else privacy.LIMITED

    async def receive_one(communicator):
        layer = get_channel_layer()
        await layer.group_send(events.staff_group(other_centre.pk, audience), {"type": "board.event",
                                                                               "text": '{"seq": 99}'})
        await layer.group_send(events.staff_group(centre.pk, other), {"type": "board.event", "text": '{"seq": 98}'})
        await layer.group_send(events.staff_group(centre.pk, audience), {"type": "board.event", "text": '{"seq": 1}'})
        return await communicator.receive_json_from(timeout=5)

    connected, message = handshake(staff_path(centre), cookie, then=receive_one)
    assert connected is True
    assert message == {"seq": 1}  # neither the other centre's event nor the other audience's arrived first


def test_unknown_centre_is_refused_on_both_sockets(centre):
    cookie = session_cookie(factories.make_user(Role.ADMIN, centre))
    assert handshake("/ws/c/nowhere/board/", cookie) == (False, 4404)
    assert handshake("/ws/p/nowhere/board/") == (False, 4404)


def test_public_board_socket_is_open_to_anyone_and_carries_the_public_group(centre):
    async def receive_one(communicator):
        layer = get_channel_layer()
        for audience in privacy.AUDIENCES:
            await layer.group_send(events.staff_group(centre.pk, audience), {"type": "board.event",
                                                                             "text": '{"staff": 1}'})
        await layer.group_send(events.public_group(centre.pk), {"type": "board.event", "text": '{"seq": 1}'})
        return await communicator.receive_json_from(timeout=5)

    connected, message = handshake(f"/ws/p/{centre.slug}/board/", then=receive_one)
    assert connected is True
    assert message == {"seq": 1}
