"""Board fan-out inside one server process: the process joins each centre's group ONCE, through one
channel-layer channel, and writes every event it receives to all of its own board sockets.

Why not one channel per socket (the usual Channels pattern)? With 300 boards, channels-redis's per-channel
receive (a lock, two tasks and a wait per socket per event) and the consumer's dispatch were most of an
event's cost; bench/board_fanout.py showed it. The hub receives once per process, and the sockets only send.
It still only forwards what ops.events published.

It also owns the failure handling: a Redis error closes every socket of the hub (code 1012), so boards
reconnect with backoff and reload their snapshot; the membership is renewed every REJOIN_SECONDS, so a Redis
that came back empty (groups forgotten) reaches the sockets again without a reconnect.
"""
import asyncio
import contextlib
import logging

import redis
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)
REJOIN_SECONDS = 15
SLOW_PEER_SECONDS = 2.0
# A channel-layer alias that is not configured: get_channel_layer() gives None for it, so a board socket has
# no channel of its own and Channels does not listen on its behalf. The hub does.
NO_LAYER = "boards.sockets-use-the-hub"

_hubs: dict[tuple[int, str], "GroupHub"] = {}
_background: set[asyncio.Task] = set()  # strong references: the loop keeps only weak ones


def hub_for(group: str) -> "GroupHub":
    """This process's hub for the group (one per event loop: tests run several loops in one process)."""
    key = (id(asyncio.get_running_loop()), group)
    if key not in _hubs:
        _hubs[key] = GroupHub(group, key)
    return _hubs[key]


class GroupHub:
    def __init__(self, group: str, key):
        self.group, self.key = group, key
        self.sockets: set = set()
        self.channel = None
        self.tasks: list[asyncio.Task] = []
        self._starting = asyncio.Lock()

    async def start(self) -> None:
        """Join the group (once); raises when the channel layer is unreachable."""
        async with self._starting:
            if self.tasks:
                return
            layer = get_channel_layer()
            channel = await layer.new_channel("boards.")
            await layer.group_add(self.group, channel)
            self.channel = channel
            self.tasks = [asyncio.create_task(self._forward(layer)), asyncio.create_task(self._renew(layer))]

    def add(self, socket) -> None:
        self.sockets.add(socket)

    async def remove(self, socket) -> None:
        self.sockets.discard(socket)
        if not self.sockets and self.tasks:
            await self._stop()
            with contextlib.suppress(Exception):
                await get_channel_layer().group_discard(self.group, self.channel)

    async def _forward(self, layer) -> None:
        while True:
            try:
                message = await layer.receive(self.channel)
            except redis.exceptions.TimeoutError:
                # An idle blocking read outlived redis-py's socket timeout: not an outage, read again.
                continue
            except Exception:
                log.warning("board hub %s lost the channel layer; closing its sockets", self.group)
                await self._fail()
                return
            text = message.get("text")
            if text is not None and self.sockets:
                await self._fan_out(text)

    async def _fan_out(self, text) -> None:
        # One task per socket, so a peer that stopped reading (its transport paused) holds up nobody for
        # more than SLOW_PEER_SECONDS; it is then closed, and resyncs when it reconnects.
        sends = {asyncio.create_task(self._send(s, text)): s for s in list(self.sockets)}
        _done, stuck = await asyncio.wait(sends, timeout=SLOW_PEER_SECONDS)
        for task in stuck:
            task.cancel()
            socket = sends[task]
            self.sockets.discard(socket)
            closing = asyncio.create_task(socket.close(code=1013))
            _background.add(closing)
            closing.add_done_callback(_background.discard)

    async def _send(self, socket, text) -> None:
        try:
            await socket.send(text_data=text)
        except Exception:  # the peer went away mid-send; its disconnect removes it
            self.sockets.discard(socket)

    async def _renew(self, layer) -> None:
        while True:
            await asyncio.sleep(REJOIN_SECONDS)
            try:
                await layer.group_add(self.group, self.channel)
            except Exception:
                log.warning("board hub %s could not renew its membership; closing its sockets", self.group)
                await self._fail()
                return

    async def _fail(self) -> None:
        sockets, self.sockets = list(self.sockets), set()
        await self._stop(current=asyncio.current_task())
        for socket in sockets:
            with contextlib.suppress(Exception):
                await socket.close(code=1012)  # "service restart": the board reconnects and resyncs

    async def _stop(self, current=None) -> None:
        tasks, self.tasks = self.tasks, []
        _hubs.pop(self.key, None)
        for task in tasks:
            if task is not current:
                task.cancel()
        for task in tasks:
            if task is not current:
                with contextlib.suppress(BaseException):
                    await task
