"""Django's HTTP handler for ASGI, with each request handled in one trip to a reused worker thread.

Every view and middleware of this project is synchronous. Django's own ASGIHandler runs the middleware chain
in async mode, so each request went back and forth between the event loop and its thread about six times
(the request_started signal, SecurityMiddleware's two hooks, the sync middleware below it, back to the loop
for the URL resolver, the view, the response's close), each a future, a wake-up and a GIL hand-over; and it
started a new thread for every request (asgiref's ThreadSensitiveContext). In the 8:30 check-in burst
(bench/checkin_burst.py) that machinery took about a third of the server's CPU.

Here the signal, the request, the middleware and the view run in one call (as under WSGI) on one of
HTTP_THREADS long-lived threads, which also closes the response when its body is in memory (request_finished:
the database connection goes back to the pool; Django's connections must be closed by the thread that used
them); the loop only reads the body and sends the response. A streaming response is closed by the same thread
after sending. A request waits on the loop for a free thread, so a burst queues there instead of as hundreds
of threads fighting for the GIL. Two threads is the default: one runs Python while the other waits on
PostgreSQL; with 16 the same burst ran at about half the rate, the threads mostly handing the GIL to each
other. Responses are sent by Django's own send_response, so streaming and file responses work as before; an
async view would still work (Django adapts it), it just gains nothing.
"""
import asyncio
import json
import os
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted, RequestDataTooBig
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import FileResponse, HttpResponse
from django.urls import set_script_prefix
from django.utils.translation import gettext as _
from django.views import defaults


class ThreadedASGIHandler(ASGIHandler):
    def __init__(self, threads: int | None = None):
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)  # a plain sync chain, as under WSGI
        self.threads = threads or int(os.environ.get("HTTP_THREADS", "2"))
        self._free: dict[asyncio.AbstractEventLoop, asyncio.Queue] = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        await self.handle(scope, receive, send)  # no ThreadSensitiveContext: the request's thread is chosen here

    def _free_threads(self) -> asyncio.Queue:
        loop = asyncio.get_running_loop()
        if loop not in self._free:
            queue = asyncio.Queue()
            for n in range(self.threads):
                queue.put_nowait(ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"http-{n}"))
            self._free[loop] = queue
        return self._free[loop]

    async def handle(self, scope, receive, send):
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        free = self._free_threads()
        thread = await free.get()
        try:
            response = await sync_to_async(self._respond, thread_sensitive=False, executor=thread)(scope, body_file)
            if not response.streaming:  # already closed by _respond: its content is in memory
                await self.send_response(response, send)
                return
            try:
                await self.send_response(response, send)
            finally:  # sent or not: request_finished, on the thread that opened the connections
                await sync_to_async(response.close, thread_sensitive=False, executor=thread)()
        finally:
            free.put_nowait(thread)
            body_file.close()

    def _respond(self, scope, body_file):
        """On the request's thread: request_started, the request, the middleware chain and the view. A response
        whose body is in memory is closed here too (request_finished gives the database connection back), and so
        is the 400/413 Django answers for a request it cannot read. Whatever fails on the way, request_finished
        is sent: the connection never stays checked out of the pool."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        response = None
        try:
            request, response = self.create_request(scope, body_file)  # (None, 400 or 413) when unreadable
            if request is not None:
                response = self.get_response(request)
            response._handler_class = self.__class__  # close() sends request_finished with it as the sender
            if isinstance(response, FileResponse):  # the ASGI server does the low-level chunking
                response.block_size = self.chunk_size
        except BaseException:
            if response is not None:
                response.close()
            else:
                signals.request_finished.send(sender=self.__class__)
            raise
        if not response.streaming:
            # Its body is in memory, so it is closed here, in the same trip to this thread, rather than in a
            # second trip after sending.
            response.close()
        return response


class BodyLimit:
    """ASGI middleware: a request body over REQUEST_BODY_MAX_BYTES is answered 413 before it is read. A declared
    Content-Length over the limit is refused before one byte of the body is taken; a chunked body is cut off
    the moment it passes the limit (the handler sees a disconnect, so nothing of it reaches a view or a temp
    file past that point). Django's own DATA_UPLOAD_MAX_MEMORY_SIZE only applies once the body has been read
    (into a temp file past FILE_UPLOAD_MAX_MEMORY_SIZE): an anonymous 300 MB POST filled the temp directory
    before its CSRF 403. Under /api/ the answer is the API's JSON error body."""

    def __init__(self, app, max_bytes: int | None = None):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.max_bytes or settings.REQUEST_BODY_MAX_BYTES
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            return await self._refuse(scope, send, limit)
        received, over, started = 0, False, False

        async def limited_receive():
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    return {"type": "http.disconnect"}  # Django stops reading (RequestAborted) and answers nothing
            return message

        async def watched_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, limited_receive, watched_send)
        if over and not started:
            await self._refuse(scope, send, limit)

    @staticmethod
    async def _refuse(scope, send, limit: int):
        detail = _("リクエストが大きすぎます（%(mb)s MBまで）。") % {"mb": round(limit / 1024 / 1024, 1)}
        if scope["path"].startswith("/api/"):
            body = json.dumps({"status": 413, "code": "too_large", "detail": detail}, ensure_ascii=False)
            content_type = b"application/json"
        else:
            body, content_type = detail, b"text/plain; charset=utf-8"
        body = body.encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", content_type), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def bad_request(request, exception):
    """handler400: Django answers a body past DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig, found when a form
    is read) as any suspicious request, 400; it is a 413, worded as BodyLimit words it."""
    if isinstance(exception, RequestDataTooBig):
        detail = _("リクエストが大きすぎます（%(mb)s MBまで）。") % {
            "mb": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024, 1)}
        return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
    return defaults.bad_request(request, exception)


def get_asgi_application() -> ThreadedASGIHandler:
    """Like django.core.asgi.get_asgi_application, with this handler."""
    django.setup(set_prefix=False)
    return ThreadedASGIHandler()
