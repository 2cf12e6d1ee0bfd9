"""Websocket consumers for the boards: authenticate at the handshake, join the centre's hub, forward.

They never build events (ops.events does) and never query figures beyond the permission check. The hub
(ops.boards.hub) holds the process's one subscription per centre group and writes each event to the sockets;
if Redis is unreachable a socket is refused (1013) or closed (1012), and the board reconnects with backoff
and reloads its snapshot.
"""
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from ops import events, permissions
from ops.boards import hub
from ops.centres.models import Centre

log = logging.getLogger(__name__)


@database_sync_to_async
def _centre_for(slug):
    return Centre.objects.filter(slug=slug).first()


@database_sync_to_async
def _staff_group(user, centre):
    """The staff group of the user's audience (ops.events decides), or None for anyone not on the staff."""
    if not permissions.can(user, centre, permissions.Cap.VIEW_BOARD):
        return None
    return events.staff_group_for(user, centre)


class _BoardConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = hub.NO_LAYER  # no channel per socket: the hub receives for all of them
    hub = None

    async def join(self, group):
        board_hub = hub.hub_for(group)
        try:
            await board_hub.start()
        except Exception:  # Redis unreachable: refuse; the board retries with backoff
            log.warning("board socket refused: channel layer unreachable")
            await self.close(code=1013)
            return
        await self.accept()
        self.hub = board_hub
        board_hub.add(self)

    async def receive(self, text_data=None, bytes_data=None):
        pass  # boards only listen

    async def disconnect(self, code):
        if self.hub:
            await self.hub.remove(self)


class StaffBoardConsumer(_BoardConsumer):
    """Staff of the centre only; anyone else is refused at the handshake (close before accept: HTTP 403).
    Roles without residents' data join their own group, which never carries it."""

    async def connect(self):
        centre = await _centre_for(self.scope["url_route"]["kwargs"]["centre"])
        user = self.scope.get("user")
        group = await _staff_group(user, centre) if centre is not None and user is not None else None
        if group is None:
            await self.close(code=4403)
            return
        await self.join(group)


class PublicBoardConsumer(_BoardConsumer):
    """Anyone; the public group only ever carries aggregates (Event.public)."""

    async def connect(self):
        centre = await _centre_for(self.scope["url_route"]["kwargs"]["centre"])
        if centre is None:
            await self.close(code=4404)
            return
        await self.join(events.public_group(centre.pk))
