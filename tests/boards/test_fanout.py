"""An event committed in one process reaches every connected board, served by another process, through Redis."""
import asyncio
import json

import pytest
import websockets

from ops.centres.models import Role
from tests import factories
from tests.boards.conftest import run_async, run_in_other_process, session_cookie, ws_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SERVICE_CALLS = """
from ops.centres import services
from ops.needs.models import Need
from ops.needs.state import need_state
need = Need.objects.get(centre=centre)
events.emit(centre, "need.created", {"need": need_state(need)}, public={"needs_received": 1})
services.set_recruitment(centre, status="prereg_only", scope="city", capacity=42)
"""


def test_every_board_gets_the_events_of_a_service_in_another_process(stack):
    centre = factories.make_centre()
    need = factories.make_need(centre)
    cookies = [session_cookie(factories.make_user(role, centre)) for role in (Role.ADMIN, Role.VIEWER, Role.INTAKE)]

    async def scenario():
        staff = [await websockets.connect(ws_url(stack.server_url, f"/ws/c/{centre.slug}/board/"),
                                          additional_headers={"Cookie": c, "Origin": stack.server_url})
                 for c in cookies]
        public = [await websockets.connect(ws_url(stack.server_url, f"/ws/p/{centre.slug}/board/"),
                                           additional_headers={"Origin": stack.server_url}) for _ in range(3)]
        await asyncio.to_thread(run_in_other_process, stack.env(), centre, SERVICE_CALLS)

        async def two(ws):
            return [json.loads(await asyncio.wait_for(ws.recv(), timeout=10)) for _ in range(2)]

        got = await asyncio.gather(*(two(ws) for ws in staff + public))
        for ws in staff + public:
            await ws.close()
        return got[:3], got[3:]

    staff, public = run_async(scenario())

    for messages in staff:
        assert [(m["seq"], m["kind"]) for m in messages] == [(1, "need.created"), (2, "centre.changed")]
        assert messages[0]["data"]["need"]["id"] == need.pk
        assert messages[1]["data"]["centre"]["daily_capacity"] == 42
    for messages in public:
        assert [(m["seq"], m["kind"]) for m in messages] == [(1, "need.created"), (2, "centre.changed")]
        assert messages[0]["data"] == {"needs_received": 1}
        assert messages[1]["data"]["centre"]["recruitment_status"] == "prereg_only"
