"""While the database is away (stopped, restarting, unreachable) every page and API call answers 503 with
Retry-After, in a few seconds (the pool's DB_POOL_TIMEOUT), never a 500: the middleware below answers for views,
handler500 (dvc/urls.py) for what fails before a view, api/errors.py for the API's own handler; websockets close
with 1013 (SocketsWhileAway)."""
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults

log = logging.getLogger(__name__)

# Seconds a client is asked to wait: the pool reconnects within a couple of seconds of the database's return.
RETRY_AFTER = 10


def database_unavailable(exc: BaseException | None) -> bool:
    """True when `exc` says the database cannot be reached, rather than that it refused a query: no connection
    from the pool in time, a connection that was cut, a server shutting down or starting up. A deadlock or a
    constraint is the query's own failure and stays what it was."""
    if isinstance(exc, InterfaceError):  # Django's "connection already closed"
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", "not psycopg")
    # psycopg: a failed connect or a cut connection carries no SQLSTATE (PoolTimeout is one of these); class 08
    # is "connection exception", 57P0x "operator intervention" (shutdown, crash, cannot connect now).
    return sqlstate is None or str(sqlstate).startswith(("08", "57P"))


def unavailable_response(request) -> HttpResponse:
    """The 503: JSON in the API's error shape under /api/, else a plain page that needs no database (no user,
    no centre: the base template's menus would ask for both)."""
    if request.path.startswith("/api/"):
        body = {"status": 503, "code": "database_unavailable", "wait": RETRY_AFTER,
                "detail": _("データベースに接続できません。しばらくしてから再度お試しください。")}
        response = JsonResponse(body, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(render_to_string("503.html", {"retry_after": RETRY_AFTER}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailable:
    """A view that fails because the database is away answers 503 (logged as one line, not a traceback)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unavailable(exception):
            log.warning("database unavailable: %s answered 503 (%s)", request.path.split("/", 2)[1] or "/",
                        type(exception.__cause__ or exception).__name__)
            return unavailable_response(request)
        return None


def server_error(request):
    """handler500: the 503 for a database that went away before the view ran (sessions, users in middleware)."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request)


class SocketsWhileAway:
    """Websockets (dvc/asgi.py): a socket whose handshake or consumer finds the database away is closed with 1013
    (try again later) rather than failing the handshake with HTTP 500; the board reconnects with backoff."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        state = {"accepted": False, "closed": False}

        async def watched_send(message):
            state["accepted"] |= message["type"] == "websocket.accept"
            state["closed"] |= message["type"] == "websocket.close"
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception as exc:
            if state["closed"] or not database_unavailable(exc):
                raise
            log.warning("database unavailable: socket closed with 1013 (%s)", type(exc.__cause__ or exc).__name__)
            if not state["accepted"]:  # a close before accepting reaches the browser as HTTP 403, not as a code
                await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": 1013})
