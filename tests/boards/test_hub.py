"""The process hub writes each event to every board socket, and a peer that stopped reading holds up nobody."""
import asyncio

from ops.boards import hub
from tests.boards.conftest import run_async


class FakeSocket:
    def __init__(self, stuck=False):
        self.stuck, self.got, self.closed = stuck, [], None

    async def send(self, text_data):
        if self.stuck:
            await asyncio.Event().wait()  # a paused transport never drains
        self.got.append(text_data)

    async def close(self, code):
        self.closed = code


def test_a_stuck_peer_is_dropped_and_the_others_get_every_event(monkeypatch):
    monkeypatch.setattr(hub, "SLOW_PEER_SECONDS", 0.2)

    async def scenario():
        group_hub = hub.GroupHub("public.1", key=None)
        fine, stuck = [FakeSocket() for _ in range(3)], FakeSocket(stuck=True)
        for s in [*fine, stuck]:
            group_hub.add(s)
        await group_hub._fan_out('{"seq": 1}')
        await group_hub._fan_out('{"seq": 2}')
        await asyncio.sleep(0.05)
        return group_hub, fine, stuck

    group_hub, fine, stuck = run_async(scenario())
    assert all(s.got == ['{"seq": 1}', '{"seq": 2}'] for s in fine)
    assert stuck.closed == 1013 and stuck not in group_hub.sockets
    assert len(group_hub.sockets) == 3
