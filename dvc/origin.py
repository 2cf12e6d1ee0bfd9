"""Websocket refusals: the origin check in front of every socket, and the close codes a board reads.

A refusal accepts the handshake and then closes with an application code, because a close before accepting
reaches the browser as HTTP 403 (it logs an authorisation failure, and the page cannot tell why). And it never
touches the channel layer: Channels' own OriginValidator refuses through a consumer that receives on the
process's layer, and that receive, cancelled when the peer hangs up, could stall every receive of the process
(ops/boards/hub.py, issue 17).
"""
import enum
from urllib.parse import urlparse

from channels.security.websocket import OriginValidator
from django.conf import settings


class Close(enum.IntEnum):
    """Why a socket was closed; board.js says it in words and stops retrying on the 44xx it cannot fix."""

    RESTARTING = 1012  # the server lost the channel layer, or restarts: reconnect and resync
    TRY_AGAIN = 1013  # overloaded or the channel layer is unreachable: retry with backoff
    NOT_LOGGED_IN = 4401  # no session (or it ended: logout)
    NO_ACCESS = 4403  # logged in, but not allowed here (another site's page, or the role was removed)
    UNKNOWN_CENTRE = 4404


async def refuse(receive, send, code: int) -> None:
    """Complete the handshake, then close with `code`."""
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": int(code)})


class SameOrigin(OriginValidator):
    """Only pages of this site (ALLOWED_HOSTS) may open a socket: a page elsewhere cannot ride a session."""

    def __init__(self, application):
        allowed = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed:
            allowed = ["localhost", "127.0.0.1", "[::1]"]
        super().__init__(application, allowed)

    async def __call__(self, scope, receive, send):
        origin = None
        for name, value in scope.get("headers", []):
            if name == b"origin":
                try:
                    origin = urlparse(value.decode("latin1"))
                except (UnicodeDecodeError, ValueError):
                    origin = None
        if self.valid_origin(origin):
            return await self.application(scope, receive, send)
        return await refuse(receive, send, Close.NO_ACCESS)
