"""Websocket consumers for the boards: authenticate at the handshake, join the centre's group, forward.

They never build events (ops.events does) and never query figures beyond the permission check.
"""
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from ops import events, permissions
from ops.centres.models import Centre


@database_sync_to_async
def _centre_for(slug):
    return Centre.objects.filter(slug=slug).first()


@database_sync_to_async
def _may_watch(user, centre):
    return permissions.can(user, centre, permissions.Cap.VIEW_BOARD)


class StaffBoardConsumer(AsyncJsonWebsocketConsumer):
    """Staff of the centre only; anyone else is refused at the handshake (close code 4403)."""

    async def connect(self):
        centre = await _centre_for(self.scope["url_route"]["kwargs"]["centre"])
        user = self.scope.get("user")
        if centre is None or user is None or not await _may_watch(user, centre):
            await self.close(code=4403)
            return
        self.group = events.staff_group(centre.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def board_event(self, message):
        await self.send_json(message["event"])


class PublicBoardConsumer(AsyncJsonWebsocketConsumer):
    """Anyone; the public group only ever carries aggregates (Event.public)."""

    async def connect(self):
        centre = await _centre_for(self.scope["url_route"]["kwargs"]["centre"])
        if centre is None:
            await self.close(code=4404)
            return
        self.group = events.public_group(centre.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def board_event(self, message):
        await self.send_json(message["event"])
