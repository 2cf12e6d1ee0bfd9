"""Websocket consumers for the boards: authenticate at the handshake, join the centre's group, forward.

They never build events (ops.events does) and never query figures beyond the permission check. Each socket
renews its group membership now and then: a Redis restart forgets every group, and a socket that survived
it would otherwise stay connected but deaf. If Redis cannot be reached the socket is closed, so the board
reconnects (with backoff) and reloads its snapshot.
"""
import asyncio
import contextlib
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from ops import events, permissions
from ops.centres.models import Centre

log = logging.getLogger(__name__)
REJOIN_SECONDS = 15


@database_sync_to_async
def _centre_for(slug):
    return Centre.objects.filter(slug=slug).first()


@database_sync_to_async
def _may_watch(user, centre):
    return permissions.can(user, centre, permissions.Cap.VIEW_BOARD)


class _BoardConsumer(AsyncJsonWebsocketConsumer):
    group = None
    _keeper = None

    async def join(self, group):
        try:
            await self.channel_layer.group_add(group, self.channel_name)
        except Exception:  # Redis unreachable: refuse; the board retries with backoff
            log.warning("board socket refused: channel layer unreachable")
            await self.close(code=1013)
            return
        self.group = group
        await self.accept()
        self._keeper = asyncio.create_task(self._keep_membership())

    async def _keep_membership(self):
        while True:
            await asyncio.sleep(REJOIN_SECONDS)
            try:
                await self.channel_layer.group_add(self.group, self.channel_name)
            except Exception:
                await self.close(code=1012)  # "service restart": the client reconnects and resyncs
                return

    async def disconnect(self, code):
        if self._keeper:
            self._keeper.cancel()
        if self.group:
            with contextlib.suppress(Exception):
                await self.channel_layer.group_discard(self.group, self.channel_name)

    async def board_event(self, message):
        await self.send(text_data=message["text"])


class StaffBoardConsumer(_BoardConsumer):
    """Staff of the centre only; anyone else is refused at the handshake (close before accept: HTTP 403)."""

    async def connect(self):
        centre = await _centre_for(self.scope["url_route"]["kwargs"]["centre"])
        user = self.scope.get("user")
        if centre is None or user is None or not await _may_watch(user, centre):
            await self.close(code=4403)
            return
        await self.join(events.staff_group(centre.pk))


class PublicBoardConsumer(_BoardConsumer):
    """Anyone; the public group only ever carries aggregates (Event.public)."""

    async def connect(self):
        centre = await _centre_for(self.scope["url_route"]["kwargs"]["centre"])
        if centre is None:
            await self.close(code=4404)
            return
        await self.join(events.public_group(centre.pk))
