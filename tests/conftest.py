"""Shared fixtures. Integration fixtures start real servers (uvicorn, Celery worker) through harness.Stack on
top of the test database and the Redis that `make test` started."""
import os
import threading
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from ops.centres.models import Role
from tests import factories

# Playwright's sync API runs its event loop in the test thread and leaves it marked as running there, so
# `asyncio.run` (and pytest-asyncio) fail in any test after the first browser test, and a second
# `sync_playwright()` in the same thread refuses to start. Hence: one browser for the whole run, and every
# test that uses it runs after all the others.
BROWSER_FIXTURES = {"browser", "new_page", "needs_browser"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: bool(BROWSER_FIXTURES & set(getattr(item, "fixturenames", ()))))


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium through Playwright (never `playwright install`), one for the whole run."""
    import shutil
    from pathlib import Path

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail("chromium is not installed: make test installs Debian's chromium package")
    # The ORM calls beside the browser are plain synchronous set-up against the test database; Django's
    # async-safety guard only sees Playwright's loop in this thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium_browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield chromium_browser
        chromium_browser.close()


@pytest.fixture(scope="session", autouse=True)
def teardown_flush_outlasts_a_live_read():
    """A transactional test's teardown empties the tables with one TRUNCATE, which needs every table at once; the
    live server (a browser's board still polling or catching up as the test ends) may be reading two of them in the
    other order. PostgreSQL then kills one of the two as a deadlock, and when it is the TRUNCATE the teardown
    failed ("couldn't be flushed", CI of 21:20 and the issue-25 helper's run). The read finishes in milliseconds:
    the flush is tried again, a few times, only on a deadlock."""
    import time

    from django.db.backends.base.operations import BaseDatabaseOperations
    from django.db.utils import OperationalError

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        for attempt in range(5):
            try:
                return original(self, sql_list)
            except OperationalError as err:
                if "deadlock detected" not in str(err) or attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(scope="session", autouse=True)
def tasks_of_this_process_reach_no_worker():
    """Tasks this test process sends (a mail queued in a test, on commit) go to a Redis database no worker
    reads. The session's real worker (`stack`) reads REDIS_URL's; were they the same, a mail queued by a test
    that drives delivery itself would be taken by that worker in the middle of the race, and the worker's row
    locks would meet the test's teardown TRUNCATE. A test that wants the worker goes through the stack's web
    server, or through `mail_worker`'s producer. Child processes keep REDIS_URL's database."""
    from dvc.celery import app as celery_app

    before = celery_app.conf.broker_url
    celery_app.conf.broker_url = settings.REDIS_URL.rsplit("/", 1)[0] + "/12"
    yield
    celery_app.conf.broker_url = before


@pytest.fixture(autouse=True)
def japanese_by_default():
    """Each test starts in the site's default language: a request or `translation.activate` in an earlier
    test must not leave English active for the next one (Django keeps the active language per thread)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def clear_rates():
    """Forget every request counted against a rate limit: the per-process cache, and the API throttles' counts
    in Redis (only their keys: the channel layer and Celery share that Redis)."""
    from django.core.cache import cache

    cache.clear()
    rates = settings.CACHES["rates"]
    try:
        with redis.Redis.from_url(rates["LOCATION"], socket_connect_timeout=0.5) as client:
            keys = list(client.scan_iter(match=f"{rates['KEY_PREFIX']}:*", count=1000))
            if keys:
                client.delete(*keys)
    except (redis.RedisError, OSError):  # no Redis here (a plain pytest run): nothing was counted there either
        pass


@pytest.fixture(autouse=True)
def installation_set_up():
    """Tests run on an installation that has been set up: an empty database does not send their requests to the
    first-run page (ops.staff.firstrun), whatever ran before. tests/centres/test_first_run.py empties it."""
    from ops.staff import firstrun

    firstrun._set_up = True
    yield
    firstrun._set_up = True


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits and throttles count in caches: each test starts with none."""
    clear_rates()
    yield
    clear_rates()


@pytest.fixture
def real_redis():
    """Skip unless the Redis of `make test` / `python -m harness run` answers (tests through the real layer)."""
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("needs the Redis of `make test` / `python -m harness run`")


@pytest.fixture
def centre(db):
    return factories.make_centre()


@pytest.fixture
def other_centre(db):
    return factories.make_centre()


@pytest.fixture
def staff(centre):
    """A function: staff(role) -> a user holding that role at `centre`."""
    return lambda role: factories.make_user(role, centre)


@pytest.fixture
def client_as(client, centre):
    """A function: client_as(role) -> the test client logged in as a user with that role at `centre`."""

    def login(role):
        user = factories.make_user(role, centre)
        client.force_login(user)
        client.user = user
        return client

    return login


@pytest.fixture
def coordinator_client(client_as):
    return client_as(Role.COORDINATOR)


def _database_url() -> str:
    s = connection.settings_dict
    if s["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("integration tests run on PostgreSQL (make test)")
    user = quote(s["USER"] or "postgres")
    return f"postgres://{user}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="session")
def stack(django_db_setup, django_db_blocker):
    """Real uvicorn + Celery worker against the test database and `make test`'s Redis, for the session."""
    from harness import Stack

    with django_db_blocker.unblock():
        db_url = _database_url()
    s = Stack(postgres=False, redis=False)
    s.extra_env = {"DATABASE_URL": db_url, "REDIS_URL": settings.REDIS_URL,
                   "EMAIL_URL": os.environ.get("EMAIL_URL", "consolemail://")}
    try:
        s.server_url = s.start_server()
        s.start_worker()
        yield s
    finally:
        s.stop()


@pytest.fixture
def eager():
    """Run queued Celery tasks inline (locmem mail), so a mail asked for in a service can be followed to the
    outbox of the test's mail backend."""
    from dvc.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture(scope="session")
def mail_worker(stack):
    """Our own worker, its mail going to 127.0.0.1:<port> (start tests.smtp.smtp_server there, or not: then
    the connection is refused), on Redis db 14 so the session's worker (whose mail goes to the console) never
    takes these tasks. `producer` sends it tasks; `broker` is its REDIS_URL for a web server of the same."""
    from celery import Celery

    from harness import Stack, free_port

    port = free_port()
    broker = stack.env()["REDIS_URL"].rsplit("/", 1)[0] + "/14"
    worker = Stack(postgres=False, redis=False)
    # Not the current app: the project's shared tasks (a mail queued in any later test) would then go to this
    # worker, whose SMTP is refused unless its test serves it (a mail counted one failed attempt ahead of a test).
    producer = Celery(broker=broker, backend=broker, set_as_current=False)
    try:
        worker.start_worker(env=stack.env(EMAIL_URL=f"smtp://127.0.0.1:{port}", REDIS_URL=broker,
                                          REPORT_RETRY_BACKOFF="1", MAIL_RETRY_BACKOFF="1"), name="mailworker")
        yield {"port": port, "producer": producer, "stack": worker, "broker": broker}
    finally:
        producer.close()
        worker.stop()


def run_together(n, action):
    """Run action(i) in n threads released together by a barrier, each on its own database connection (the
    race tests on PostgreSQL); return (results, errors), one slot per thread. Each thread connects before the
    barrier, so the barrier releases them into the race itself rather than into n connection set-ups."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, [None] * n

    def worker(i):
        from django.db import connection as conn

        try:
            conn.ensure_connection()
            barrier.wait(timeout=30)
            results[i] = action(i)
        except Exception as exc:  # returned: the caller asserts on them
            errors[i] = exc
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors
