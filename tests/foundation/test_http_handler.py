"""dvc.http.ThreadedASGIHandler, driven as uvicorn drives it (scope, receive, send) inside this process: pages,
form posts and file responses come out as Django's own handler gives them; a burst queues for the handler's
few threads; every request gives its database connection back."""
import asyncio

import pytest
from django.conf import settings
from django.db import connections

from dvc.http import ThreadedASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)


def scope(path, method="GET", headers=()):
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), *headers], "client": ("127.0.0.1", 5000),
            "server": ("127.0.0.1", 8000)}


async def call(handler, path, method="GET", body=b"", headers=()):
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)  # no disconnect while the response goes out

    sent = []

    async def send(message):
        sent.append(message)

    await handler(scope(path, method, headers), receive, send)
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

    async def burst():
        return await asyncio.gather(*(call(handler, f"/p/{centre.slug}/") for _ in range(30)))

    results = asyncio.run(burst())
    assert [status for status, _, _ in results] == [200] * 30
    if pool is not None:  # each thread closed what it opened: nothing is left checked out of the pool
        stats = pool.get_stats()
        assert stats["pool_size"] - stats["pool_available"] == 0, stats
