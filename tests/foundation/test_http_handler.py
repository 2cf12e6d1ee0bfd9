"""dvc.http.ThreadedASGIHandler, driven as uvicorn drives it (scope, receive, send) inside this process: pages,
form posts and file responses come out as Django's own handler gives them; a burst queues for the handler's
few threads; every request gives its database connection back."""
import asyncio

import pytest
from django.conf import settings
from django.core import signals
from django.db import connections

from dvc.http import ThreadedASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)


def scope(path, method="GET", headers=(), query=b""):
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), *headers], "client": ("127.0.0.1", 5000),
            "server": ("127.0.0.1", 8000)}


async def call(handler, path, method="GET", body=b"", headers=(), query=b""):
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)  # no disconnect while the response goes out

    sent = []

    async def send(message):
        sent.append(message)

    await handler(scope(path, method, headers, query), receive, send)
    start = sent[0]
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_a_page_a_refused_post_and_a_missing_page_come_out_as_django_makes_them(centre):
    handler = ThreadedASGIHandler(threads=2)

    async def go():
        return (await call(handler, f"/p/{centre.slug}/"),
                await call(handler, "/accounts/login/", method="POST", body=b"username=x&password=y",
                           headers=[(b"content-type", b"application/x-www-form-urlencoded")]),
                await call(handler, "/no-such-page/"))

    (status, headers, body), (post_status, _, _), (missing, _, _) = asyncio.run(go())
    assert status == 200 and centre.name in body.decode()
    assert headers[b"Content-Type"].startswith(b"text/html")
    assert b"Content-Security-Policy" in headers
    assert post_status == 403  # CSRF: the middleware chain runs in full
    assert missing == 404


@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators")
def test_a_file_response_streams_whole():
    handler = ThreadedASGIHandler(threads=2)
    expected = (settings.BASE_DIR / "static" / "favicon.svg").read_bytes()
    status, headers, body = asyncio.run(call(handler, "/static/favicon.svg"))
    assert status == 200
    assert body == expected


def test_a_burst_queues_for_the_threads_and_gives_every_connection_back(centre):
    handler = ThreadedASGIHandler(threads=3)
    connections["default"].close()  # this test's own connection back to the pool: count only the handler's
    pool = connections["default"].pool
    # Other threads of this process (earlier tests' handlers, consumers) may hold connections of their own:
    # count only what this burst leaves checked out.
    held_before = pool.get_stats()["pool_size"] - pool.get_stats()["pool_available"] if pool is not None else 0

    async def burst():
        return await asyncio.gather(*(call(handler, f"/p/{centre.slug}/") for _ in range(30)))

    results = asyncio.run(burst())
    assert [status for status, _, _ in results] == [200] * 30
    if pool is not None:  # each thread closed what it opened: nothing is left checked out of the pool
        stats = pool.get_stats()
        assert stats["pool_size"] - stats["pool_available"] <= held_before, stats


@pytest.fixture
def finished():
    """The senders of request_finished, in order: each request must end with one (the connection goes back)."""
    senders = []

    def receiver(sender, **kwargs):
        senders.append(sender)

    signals.request_finished.connect(receiver)
    yield senders
    signals.request_finished.disconnect(receiver)


def test_a_request_django_cannot_read_is_answered_and_gives_its_connection_back(centre, finished):
    """A query string that is not UTF-8: Django's create_request answers 400 itself. That response was sent but
    never closed, so request_finished never came and the thread kept its database connection."""
    handler = ThreadedASGIHandler(threads=1)
    connections["default"].close()
    pool = connections["default"].pool
    held_before = pool.get_stats()["pool_size"] - pool.get_stats()["pool_available"] if pool is not None else 0

    async def go():
        return [await call(handler, f"/p/{centre.slug}/", query=b"q=%ff\xff") for _ in range(3)]

    results = asyncio.run(go())
    assert [status for status, _, _ in results] == [400] * 3
    assert finished == [ThreadedASGIHandler] * 3
    if pool is not None:
        stats = pool.get_stats()
        assert stats["pool_size"] - stats["pool_available"] <= held_before, stats


def test_a_view_that_fails_still_ends_its_request(centre, finished, monkeypatch):
    """Anything failing between getting the response and closing it still sends request_finished."""
    handler = ThreadedASGIHandler(threads=1)

    def broken(request):
        raise RuntimeError("middleware chain broke outside Django's own exception handling")

    monkeypatch.setattr(handler, "get_response", broken)
    with pytest.raises(RuntimeError):
        asyncio.run(call(handler, f"/p/{centre.slug}/"))
    assert finished == [ThreadedASGIHandler]


# --- What dvc/http.py takes from Django's ASGIHandler (not a public API): if an upgrade changes any of it, these
# fail first. Then read the new django/core/handlers/asgi.py (ASGIHandler.handle) and bring dvc/http.py in line,
# or go back to django.core.asgi.get_asgi_application (README, Benchmarks: measure both).

def test_the_django_internals_the_handler_uses_are_those_of_django_5_2():
    import inspect

    import django
    from django.core.handlers.asgi import ASGIHandler
    from django.core.handlers.base import BaseHandler
    from django.http import HttpResponseBase

    assert django.VERSION[:2] == (5, 2), "a new Django: re-read ASGIHandler.handle against dvc/http.py"
    assert inspect.iscoroutinefunction(ASGIHandler.read_body)
    assert list(inspect.signature(ASGIHandler.read_body).parameters) == ["self", "receive"]
    assert not inspect.iscoroutinefunction(ASGIHandler.create_request)
    assert list(inspect.signature(ASGIHandler.create_request).parameters) == ["self", "scope", "body_file"]
    assert inspect.iscoroutinefunction(ASGIHandler.send_response)
    assert list(inspect.signature(ASGIHandler.send_response).parameters) == ["self", "response", "send"]
    assert list(inspect.signature(BaseHandler.load_middleware).parameters) == ["self", "is_async"]
    assert ASGIHandler.chunk_size == 2**16
    # close() names the handler in request_finished by the attribute the handlers set
    assert "self._handler_class" in inspect.getsource(HttpResponseBase.close)
    assert "response._handler_class = self.__class__" in inspect.getsource(ASGIHandler.run_get_response)
    # the stock handler still does what _respond does in one trip: started, create_request, get_response, close
    handle = inspect.getsource(ASGIHandler.handle)
    for step in ("self.read_body(receive)", "request_started", "self.create_request(scope, body_file)",
                 "self.send_response(", ".close)()"):
        assert step in handle, step


def test_read_body_create_request_and_send_response_behave_as_the_handler_expects():
    from django.core.exceptions import RequestAborted
    from django.core.handlers.asgi import ASGIHandler
    from django.http import HttpResponse

    handler = ThreadedASGIHandler(threads=1)

    async def go():
        parts = [{"type": "http.request", "body": b"a=1", "more_body": True},
                 {"type": "http.request", "body": b"&b=2", "more_body": False}]

        async def receive():
            return parts.pop(0)

        body = await handler.read_body(receive)
        read = body.read()
        body.seek(0)
        good = handler.create_request(scope("/x/", "POST"), body)
        bad = handler.create_request(scope("/x/", query=b"\xff"), body)

        async def disconnect():
            return {"type": "http.disconnect"}

        try:
            await handler.read_body(disconnect)
            aborted = False
        except RequestAborted:
            aborted = True
        sent = []

        async def send(message):
            sent.append(message)

        await handler.send_response(HttpResponse("本文", status=201), send)
        return read, good, bad, aborted, sent

    read, (request, none), (no_request, error), aborted, sent = asyncio.run(go())
    assert read == b"a=1&b=2"
    assert request is not None and none is None and request.method == "POST"
    assert no_request is None and error.status_code == 400
    assert aborted
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 201
    assert b"".join(m.get("body", b"") for m in sent[1:]) == "本文".encode()
    assert isinstance(handler, ASGIHandler)
