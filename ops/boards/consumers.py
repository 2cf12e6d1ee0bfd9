"""Websocket consumers for the boards: authenticate at the handshake, join the centre's hub, forward.

They never build events (ops.events does) and never query figures beyond the permission check. The hub
(ops.boards.hub) holds the process's one subscription per centre group and writes each event to the sockets.
A refusal completes the handshake and closes with a code of dvc.origin.Close (a close before accepting reaches
the browser as HTTP 403): 4404 no such centre, 4401 not logged in, 4403 no access, 1013 the channel layer is
unreachable (the board retries with backoff), 1012 the hub lost it (the board reconnects and resyncs).

A staff socket stays allowed only while its session and role last: it re-checks on the hub's timer
(BOARD_ACCESS_RECHECK_SECONDS) and whenever ops.events.access_changed names its user (logout, role, account).
"""
import logging
from importlib import import_module
from types import SimpleNamespace

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user

from dvc.origin import Close
from ops import events, permissions
from ops.boards import hub
from ops.centres.models import Centre

log = logging.getLogger(__name__)


@database_sync_to_async
def _centre_for(slug):
    return Centre.objects.filter(slug=slug).first()


@database_sync_to_async
def _staff_verdict(session_key, centre):
    """(user id, staff group, None) while the session's user may see the centre's staff board, else
    (None, None, close code). Read afresh from the session store and the roles, never from the handshake."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = get_user(SimpleNamespace(session=session))
    if not user.is_authenticated:
        return None, None, Close.NOT_LOGGED_IN
    if not permissions.can(user, centre, permissions.Cap.VIEW_BOARD):
        return None, None, Close.NO_ACCESS
    return user.pk, events.staff_group_for(user, centre), None


class _BoardConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = hub.NO_LAYER  # no channel per socket: the hub receives for all of them
    hubs = ()

    async def refuse(self, code):
        await self.accept()
        await self.close(code=int(code))

    async def join(self, *hubs):
        await self.accept()
        try:
            for board_hub in hubs:
                await board_hub.start()
        except Exception:  # Redis unreachable: the board retries with backoff
            log.warning("board socket refused: channel layer unreachable")
            await self.close(code=Close.TRY_AGAIN)
            return
        self.hubs = hubs
        for board_hub in hubs:
            board_hub.add(self)

    async def shut(self, code):
        await self.leave()
        await self.close(code=int(code))

    async def leave(self):
        hubs, self.hubs = self.hubs, ()
        for board_hub in hubs:
            await board_hub.remove(self)

    async def receive(self, text_data=None, bytes_data=None):
        pass  # boards only listen

    async def disconnect(self, code):
        await self.leave()

    async def recheck(self):
        pass  # anyone may watch a public board

    async def access_changed(self, message):
        pass


class StaffBoardConsumer(_BoardConsumer):
    """Staff of the centre only. Roles without residents' data join their own group, which never carries it."""

    async def connect(self):
        self.centre = await _centre_for(self.scope["url_route"]["kwargs"]["centre"])
        if self.centre is None:
            await self.refuse(Close.UNKNOWN_CENTRE)
            return
        session = self.scope.get("session")
        self.session_key = getattr(session, "session_key", None)
        self.user_id, self.group, refusal = await _staff_verdict(self.session_key, self.centre)
        if refusal:
            await self.refuse(refusal)
            return
        await self.join(hub.hub_for(self.group, self.centre.pk), hub.hub_for(events.ACCESS_GROUP))

    async def recheck(self):
        if not self.hubs:
            return
        try:
            _user, group, refusal = await _staff_verdict(self.session_key, self.centre)
        except Exception:  # the database is away: keep the socket until a check can answer
            log.warning("board socket access re-check failed; kept until the next one")
            return
        if refusal:
            await self.shut(refusal)
        elif group != self.group:  # the role moved to another audience: rejoin through a reconnect
            await self.shut(Close.RESTARTING)

    async def access_changed(self, message):
        if self.session_key and message.get("session") == self.session_key:
            await self.shut(Close.NOT_LOGGED_IN)
        elif message.get("user") in (None, self.user_id):
            await self.recheck()


class PublicBoardConsumer(_BoardConsumer):
    """Anyone; the public group only ever carries aggregates (Event.public)."""

    async def connect(self):
        centre = await _centre_for(self.scope["url_route"]["kwargs"]["centre"])
        if centre is None:
            await self.refuse(Close.UNKNOWN_CENTRE)
            return
        await self.join(hub.hub_for(events.public_group(centre.pk), centre.pk))
