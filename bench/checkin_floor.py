"""Bench: the floor under bench/checkin_burst.py. How fast can THIS machine check phones in over HTTP at all,
with the project's own SQL, but without Django's request handling?

The same phones, volunteers and queue as checkin_burst (its seed and its client, imported from it) drive a
server that answers the poster's URL with the least a check-in must do: verify the phone's signed cookie,
run the project's arrival query (ops.volunteers.arrival), and on POST insert the attendance and the event
with the project's statements (ops.sqlrows' INSERT, ops.events' numbered event with the capacity read of
ops.volunteers.services.capacity) in one transaction, then publish the event to both board groups on the
channel layer (`--publish redis`: one plain Redis PUBLISH instead; `--publish none`: no publish at all).
It runs on uvicorn's event loop with an async psycopg pool: no middleware, no URL resolver, no
form, no template (a fixed page with a fresh CSRF-like token), no model instances, no thread hand-over.
Every other URL (the personal link that sets the cookie, /healthz) goes to the project's ASGI app.

It is NOT a check-in: it skips the centre's rules, the health-check validation and every refusal. It exists
to measure how much of checkin_burst's cost is the framework's and how much the machine's, so the figure
beside it says what the 200/s target asks of the code. Both benches print the same JSON line.

    uv run python bench/checkin_floor.py [--clients 100] [--volunteers 2000] [--retries 0.1] [--rate n]
"""
import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE_BYTES = 5600  # about the size of the project's check-in page


class Floor:
    """The ASGI app uvicorn serves (`checkin_floor:application`); built on its first request, in its process."""

    def __init__(self):
        self.ready = None

    async def __call__(self, scope, receive, send):
        if self.ready is None:
            self.ready = asyncio.get_running_loop().create_task(self._start())
        await self.ready
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path.startswith("/p/") and "/checkin/" in path):
            return await self.django(scope, receive, send)
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await self.check_in(scope, body, send)

    async def _start(self):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
        from channels.layers import get_channel_layer
        from psycopg_pool import AsyncConnectionPool

        from dvc.asgi import application  # sets Django up
        from ops.centres.models import Centre, Event
        from ops.events import _EMIT_SQL
        from ops.volunteers.arrival import _statement
        from ops.volunteers.models import Attendance
        from ops.volunteers.services.capacity import places_query

        self.django, self.layer = application, get_channel_layer()
        self.publish = os.environ.get("FLOOR_PUBLISH", "layer")
        if self.publish == "redis":
            import redis.asyncio

            self.redis = redis.asyncio.Redis.from_url(os.environ["REDIS_URL"])
        self.arrival_sql, columns = _statement()
        names = [f"{c.alias}.{f.attname}" for c in columns for f in c.fields]
        self.at = {key: names.index(key) for key in ("c.id", "v.id", "v.name", "a.id")}
        self.places_sql = places_query(0, None)[0]
        self.emit_sql = _EMIT_SQL.format(centre=f'"{Centre._meta.db_table}"', event=f'"{Event._meta.db_table}"')
        self.insert_sql = (f'INSERT INTO "{Attendance._meta.db_table}" (volunteer_id, centre_id, date, checked_in_at, '
                           "via, health, insurance_confirmed, head_count) VALUES (%s, %s, %s, %s, 'phone', %s, true, 1) "
                           "RETURNING id")
        url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
        self.pool = AsyncConnectionPool(url, min_size=4, max_size=8, kwargs={"prepare_threshold": 1}, open=False)
        await self.pool.open()

    async def check_in(self, scope, body, send):
        from django.http import HttpRequest
        from django.http.cookie import parse_cookie
        from django.utils import timezone

        from ops.volunteers import identity

        request = HttpRequest()
        request.COOKIES = parse_cookie(dict(scope["headers"]).get(b"cookie", b"").decode())
        token = identity.token_of(request)
        day = timezone.localdate()
        async with self.pool.connection() as conn:
            row = await (await conn.execute(self.arrival_sql, {"slug": scope["path"].split("/")[2], "token": token or "",
                                                               "day": day})).fetchone()
            if row is None or row[self.at["v.id"]] is None:
                return await respond(send, 404, "unknown")
            if scope["method"] != "POST":
                page = f'<input name="csrfmiddlewaretoken" value="{secrets.token_urlsafe(48)}">{row[self.at["v.name"]]}'
                return await respond(send, 200, page.ljust(PAGE_BYTES), [(b"set-cookie", b"csrftoken=x; Path=/")])
            if row[self.at["a.id"]] is not None:
                return await respond(send, 200, "受付済み")  # the retry: already checked in
            centre = row[self.at["c.id"]]
            async with conn.transaction():
                await conn.execute(self.insert_sql, (row[self.at["v.id"]], centre, day, timezone.now(),
                                                     '{"no_fever": true}'))
                event = await (await conn.execute(self.emit_sql, {
                    "emit_centre": centre, "emit_kind": "attendance.checked_in", "emit_payload": '{"attendance": {}}',
                    "emit_public": '{"volunteers_today": 1}', "emit_at": timezone.now()})).fetchone()
                await conn.execute(self.places_sql, {"c": centre, "d": day})
        text = json.dumps({"seq": event[1], "kind": "attendance.checked_in"})
        if self.publish == "layer":
            for group in (f"staff.{centre}", f"public.{centre}"):
                await self.layer.group_send(group, {"type": "board.event", "text": text})
        elif self.publish == "redis":
            await self.redis.publish(f"centre.{centre}", text)
        await respond(send, 303, "", [(b"location", scope["path"].encode())])


async def respond(send, status, text, headers=()):
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


application = Floor()


def main(argv=None) -> int:
    import checkin_burst as burst

    from harness import Stack

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--retries", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=None, help="open loop: arrivals a second (as checkin_burst)")
    parser.add_argument("--publish", choices=("layer", "redis", "none"), default="layer",
                        help="how the event reaches the boards: the channel layer's group_send to both groups (as the "
                             "project does), one plain Redis PUBLISH, or not at all")
    args = parser.parse_args(argv)

    with Stack(postgres=True, redis=True) as stack:
        env = stack.env(DEBUG="false", LOG_LEVEL="WARNING", ALLOWED_HOSTS="127.0.0.1,localhost")
        env["FLOOR_PUBLISH"] = args.publish
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench"), str(ROOT)])
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        out = subprocess.run([sys.executable, "-c", burst.SEED, str(args.volunteers)], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True).stdout
        seed = json.loads(out.strip().splitlines()[-1])
        url = stack.start_server(env=env, workers=args.workers, app="checkin_floor:application")
        phones, elapsed = asyncio.run(burst.drive(url, seed, args.clients, args.retries, args.rate))
        rows, events, lost, duplicated = burst.count_outcome(stack.database_url, seed["centre_id"], args.volunteers)
        base = burst.baseline(stack.database_url, args.volunteers)
        server_log = stack.log_tail("server", 10) if phones.errors else ""

    throughput = len(phones.post_ms) / elapsed if elapsed else 0.0
    result = {
        "bench": "checkin_floor", "publish": args.publish, "clients": args.clients, "volunteers": args.volunteers,
        "throughput_per_s": round(throughput, 1), "p50_ms": round(burst.pct(phones.post_ms, 50), 1),
        "p95_ms": round(burst.pct(phones.post_ms, 95), 1), "p99_ms": round(burst.pct(phones.post_ms, 99), 1),
        "lost": lost, "duplicated": duplicated, "baseline_per_s": round(base, 1),
        "ratio": round(throughput / base, 4) if base else None,
    }
    loop = f"open loop at {args.rate}/s" if args.rate else "closed loop"
    print(f"floor (publish: {args.publish}): {len(phones.post_ms)} check-ins by {args.clients} phones ({loop}) in {elapsed:.2f}s -> "
          f"{throughput:.1f}/s; POST p50 {result['p50_ms']} p95 {result['p95_ms']} p99 {result['p99_ms']} ms; "
          f"GET p95 {burst.pct(phones.get_ms, 95):.1f} ms")
    print(f"database: {rows} attendances, {events} events; lost {lost}, duplicated {duplicated}; "
          f"errors {len(phones.errors)}" + (f" e.g. {phones.errors[:3]}\n{server_log}" if phones.errors else ""))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
