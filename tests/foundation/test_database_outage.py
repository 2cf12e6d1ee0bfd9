"""PostgreSQL goes away under a live uvicorn: every page and API call answers 503 with Retry-After within a few
seconds (not a 500 after half a minute in the pool's queue), and the site serves again within seconds of the
database's return (the pool's reconnect backoff never grows to half a minute).

The server runs on a PostgreSQL cluster of its own, a copy of the test database taken after the test's rows
were written, so stopping it leaves the rest of the run alone."""
import asyncio
import json
import subprocess
import time as clock
import urllib.error
import urllib.request

import pytest
import websockets
from django.db import connection

from harness import Stack
from harness.stack import PGBIN
from ops.centres.models import Role
from tests import factories
from tests.boards.conftest import session_cookie

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = 15  # long enough for psycopg_pool's default backoff (1, 2, 4, 8 ... s) to grow past 8 s
ANSWER_WITHIN = 4.0  # the pool waits DB_POOL_TIMEOUT (3 s) for a connection, then the request gives up
RECOVER_WITHIN = 5.0


def _get(url, cookie=None, accept_language="ja"):
    """(status, headers, body text, seconds taken)."""
    headers = {"Accept-Language": accept_language, **({"Cookie": cookie} if cookie else {})}
    started = clock.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode(), clock.monotonic() - started
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode(), clock.monotonic() - started


def _socket_while_away(url, cookie):
    """How a board socket ends while the database is away: (close code or HTTP status, seconds taken)."""
    async def attempt():
        started = clock.monotonic()
        headers = {"Origin": url.replace("ws://", "http://").split("/ws/")[0], "Cookie": cookie}
        try:
            async with websockets.connect(url, additional_headers=headers, open_timeout=30) as socket:
                try:
                    await asyncio.wait_for(socket.recv(), timeout=30)
                except websockets.ConnectionClosed as closed:
                    return closed.rcvd.code if closed.rcvd else None, clock.monotonic() - started
        except websockets.InvalidStatus as refused:
            return refused.response.status_code, clock.monotonic() - started
        return "open", clock.monotonic() - started

    return asyncio.run(attempt())


def _copy_test_database(stack: Stack) -> None:
    s = connection.settings_dict
    dump = subprocess.run([str(PGBIN / "pg_dump"), "-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432),
                           "-U", s["USER"] or "postgres", "--no-owner", s["NAME"]],
                          check=True, capture_output=True, timeout=120).stdout
    subprocess.run([str(PGBIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(stack.pg_port),
                    "-U", "postgres", "app"], input=dump, check=True, capture_output=True, timeout=120)


@pytest.fixture
def site_on_its_own_database():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (make test)")
    centre = factories.make_centre()
    factories.make_need(centre)
    cookie = session_cookie(factories.make_user(Role.COORDINATOR, centre))
    stack = Stack(postgres=True, redis=True).start()
    try:
        _copy_test_database(stack)
        stack.server_url = stack.start_server()
        yield stack, centre, cookie
    finally:
        stack.stop()


def test_database_away_gives_503_with_retry_after_then_recovers_within_seconds(site_on_its_own_database):
    stack, centre, cookie = site_on_its_own_database
    base = stack.server_url
    pages = {  # what a person and an integration would ask for, each needing the database
        "staff page": (f"{base}/c/{centre.slug}/needs/", cookie),
        "public board": (f"{base}/p/{centre.slug}/", None),
        "api": (f"{base}/api/v1/centres/{centre.slug}/needs/", cookie),
    }
    for name, (url, who) in pages.items():
        status, _, body, _ = _get(url, who)
        assert status == 200, (name, status, body[:300])

    stack.stop_postgres()
    down_at = clock.monotonic()
    during = {}
    while clock.monotonic() - down_at < OUTAGE_SECONDS:
        for name, (url, who) in pages.items():
            during.setdefault(name, []).append(_get(url, who))
    for name, answers in during.items():
        for status, headers, body, took in answers:
            assert status == 503, (name, status, round(took, 1), body[:300], stack.log_tail("server"))
            assert headers["Retry-After"] and int(headers["Retry-After"]) > 0, name
            assert took < ANSWER_WITHIN, f"{name}: {took:.1f} s to answer while the database was away"
    _, _, page, _ = during["staff page"][0]
    assert "データベースに接続できません" in page and "Traceback" not in page
    _, headers, api_body, _ = during["api"][0]
    assert headers["Content-Type"] == "application/json"
    assert json.loads(api_body)["code"] == "database_unavailable"
    status, _, english, _ = _get(pages["staff page"][0], cookie, accept_language="en")
    assert status == 503 and "The database cannot be reached" in english
    # A board's socket is closed with 1013 (try again later), not refused with a 500; the board retries.
    code, took = _socket_while_away(f"{base.replace('http://', 'ws://')}/ws/c/{centre.slug}/board/", cookie)
    assert code == 1013 and took < ANSWER_WITHIN, (code, took)

    stack.start_postgres()
    back_at = clock.monotonic()
    recovered = {}
    while len(recovered) < len(pages) and clock.monotonic() - back_at < 60:
        for name, (url, who) in pages.items():
            if name not in recovered and _get(url, who)[0] == 200:
                recovered[name] = clock.monotonic() - back_at
        clock.sleep(0.2)
    slowest_answer = max(took for answers in during.values() for *_, took in answers)
    print(f"\noutage {OUTAGE_SECONDS} s: slowest answer while away {slowest_answer:.2f} s; "
          f"serving again after {max(recovered.values(), default=float('nan')):.2f} s")
    assert set(recovered) == set(pages), recovered
    assert max(recovered.values()) < RECOVER_WITHIN, recovered

    # Restarted while nobody asked (a quiet night): the pool still holds the cut connections; the first request
    # after is served all the same, its pool discarding them on the way.
    stack.stop_postgres()
    stack.start_postgres()
    answers = [_get(url, who) for url, who in pages.values()]
    print(f"restart with nobody asking: first answers {[(a[0], round(a[3], 2)) for a in answers]}")
    assert [a[0] for a in answers] == [200] * len(pages) and max(a[3] for a in answers) < RECOVER_WITHIN
