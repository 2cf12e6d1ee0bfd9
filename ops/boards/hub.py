"""Board fan-out inside one server process: the process joins each centre's group ONCE, through one
channel-layer channel, and writes every event it receives to all of its own board sockets.

Why not one channel per socket (the usual Channels pattern)? With 300 boards, channels-redis's per-channel
receive (a lock, two tasks and a wait per socket per event) and the consumer's dispatch were most of an
event's cost; bench/board_fanout.py showed it. The hub receives once per process, and the sockets only send.
It still only forwards what ops.events published.

It also owns the failure handling: a Redis error closes every socket of the hub (code 1012), so boards
reconnect with backoff and reload their snapshot; the membership is renewed every BOARD_HEARTBEAT_SECONDS, so a Redis
that came back empty (groups forgotten) reaches the sockets again without a reconnect.

Why the hubs have a channel-layer instance of their own and stop by a message, never by a cancel: on
Python 3.11 a cancel that lands in redis-py's read can be swallowed, leaving the receive waiting on a dropped
connection for ever. A receive on a process-local channel ("specific...!x") holds channels-redis's one
receive lock for the whole layer instance while it reads, so one such orphan stopped every receive of the
process (issue 17: boards silently stale after refused handshakes, whose Channels denier received and was
cancelled on the shared layer). A hub receives on a plain channel name (no shared receive lock), from a
layer no other code receives on, and leaves by sending itself STOP.
"""
import asyncio
import contextlib
import json
import logging
import time
import uuid

import redis
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.conf import settings

log = logging.getLogger(__name__)
SLOW_PEER_SECONDS = 2.0
# A channel-layer alias that is not configured: get_channel_layer() gives None for it, so a board socket has
# no channel of its own and Channels does not listen on its behalf. The hub does.
NO_LAYER = "boards.sockets-use-the-hub"

STOP = "boards.hub_stop"  # the message a hub sends its own channel to end its receive
_hubs: dict[tuple[int, str], "GroupHub"] = {}
_layers: dict[int, object] = {}
_background: set[asyncio.Task] = set()  # strong references: the loop keeps only weak ones


def hub_layer():
    """The hubs' own channel-layer instance for this event loop (its connections belong to the loop)."""
    shared = get_channel_layer()
    if not isinstance(shared, RedisChannelLayer):  # an in-memory layer only delivers within its instance
        return shared
    key = id(asyncio.get_running_loop())
    if key not in _layers:
        _layers[key] = channel_layers.make_backend("default")
    return _layers[key]


def _keep(coro) -> None:
    task = asyncio.create_task(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)


def hub_for(group: str, centre_id: int | None = None) -> "GroupHub":
    """This process's hub for the group (one per event loop: tests run several loops in one process). A hub
    with a centre sends its sockets a heartbeat with the centre's latest seq."""
    key = (id(asyncio.get_running_loop()), group)
    if key not in _hubs:
        _hubs[key] = GroupHub(group, key, centre_id)
    return _hubs[key]


@database_sync_to_async
def _latest_seq(centre_id: int) -> int | None:
    from ops.centres.models import Centre

    return Centre.objects.filter(pk=centre_id).values_list("event_seq", flat=True).first()


class GroupHub:
    def __init__(self, group: str, key, centre_id: int | None = None):
        self.group, self.key, self.centre_id = group, key, centre_id
        self.sockets: set = set()
        self.layer = self.channel = None
        self.tasks: list[asyncio.Task] = []
        self._starting = asyncio.Lock()

    async def start(self) -> None:
        """Join the group (once); raises when the channel layer is unreachable."""
        async with self._starting:
            if self.tasks:
                return
            layer = hub_layer()
            channel = f"boards.hub.{uuid.uuid4().hex}"  # plain, not process-local: no shared receive lock
            await layer.group_add(self.group, channel)
            self.layer, self.channel = layer, channel
            self.tasks = [asyncio.create_task(self._forward(layer)), asyncio.create_task(self._tick(layer))]

    def add(self, socket) -> None:
        self.sockets.add(socket)

    async def remove(self, socket) -> None:
        self.sockets.discard(socket)
        if not self.sockets and self.tasks:
            await self._stop()

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
            if message.get("type") == STOP:
                return
            if message.get("type") == "access.changed":
                for socket in list(self.sockets):
                    _keep(socket.access_changed(message))
                continue
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
            _keep(socket.close(code=1013))

    async def _send(self, socket, text) -> None:
        try:
            await socket.send(text_data=text)
        except Exception:  # the peer went away mid-send; its disconnect removes it
            self.sockets.discard(socket)

    async def _tick(self, layer) -> None:
        """Every BOARD_HEARTBEAT_SECONDS: renew the membership, send the heartbeat; now and then have the
        sockets re-check their access (a staff socket closes itself when its user may no longer see)."""
        recheck_at = time.monotonic() + settings.BOARD_ACCESS_RECHECK_SECONDS
        while True:
            await asyncio.sleep(settings.BOARD_HEARTBEAT_SECONDS)
            try:
                await layer.group_add(self.group, self.channel)
            except Exception:
                log.warning("board hub %s could not renew its membership; closing its sockets", self.group)
                await self._fail()
                return
            if self.centre_id is not None and self.sockets:
                await self._heartbeat()
            if self.centre_id is not None and time.monotonic() >= recheck_at:  # a socket re-checks in one hub
                recheck_at = time.monotonic() + settings.BOARD_ACCESS_RECHECK_SECONDS
                for socket in list(self.sockets):
                    _keep(socket.recheck())

    async def _heartbeat(self) -> None:
        """"Still here, and this is the latest seq": a board that hears nothing for BOARD_STALE_SECONDS, or
        hears a seq it never got, resyncs, whatever stalled its stream."""
        try:
            seq = await _latest_seq(self.centre_id)
        except Exception:  # the database is away: the heartbeat still says the stream is alive
            seq = None
        await self._fan_out(json.dumps({"kind": "heartbeat", "seq": seq}, separators=(",", ":")))

    async def _fail(self) -> None:
        sockets, self.sockets = list(self.sockets), set()
        await self._stop(current=asyncio.current_task())
        for socket in sockets:
            with contextlib.suppress(Exception):
                await socket.close(code=1012)  # "service restart": the board reconnects and resyncs

    async def _stop(self, current=None) -> None:
        """Leave the group and end the receive by a message to it: a cancel could be swallowed mid-read
        (see the module's docstring). The renewal only sleeps or writes, so it may be cancelled."""
        tasks, self.tasks = self.tasks, []
        if not tasks:  # stopped already
            return
        if _hubs.get(self.key) is self:
            del _hubs[self.key]
        forward, renew = tasks
        if renew is not current:
            renew.cancel()
        if forward is current:
            return
        try:
            await self.layer.group_discard(self.group, self.channel)
            await self.layer.send(self.channel, {"type": STOP})
        except Exception:  # Redis is away: the receive fails on its own, and ends
            log.info("board hub %s stopped while the channel layer was unreachable", self.group)
