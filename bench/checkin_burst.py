"""Bench: the 8:30 queue. N phones check volunteers in through the real HTTP check-in on the running ASGI
server (uvicorn, 2 workers, PostgreSQL, Redis), exactly as a phone does it.

Each volunteer's phone has opened its personal link before (registration day: sets the signed cookie). In the
measured burst each phone scans the day's poster (GET the check-in page: CSRF cookie and token), ticks the
health check and the insurance, and POSTs. A share of phones retries the POST (a double tap or a network
retry), which must not make a second attendance.

Throughput counts whole check-ins (GET page + POST) per second over the burst. Latency is that of the
check-in POST. Lost: volunteers without an attendance afterwards; duplicated: attendance rows beyond one per
volunteer plus check-in events beyond one per attendance. The baseline is a bare psycopg insert loop (one
autocommitted INSERT per row, same unique key) into a scratch table of the same database, in the same run.
Target: >= 200 check-ins/s, p95 <= 150 ms, zero lost or duplicated.

By default the phones run a closed loop (each starts the next check-in as soon as one is done): that measures
the most the server does, and by Little's law its latency is about clients / throughput. `--rate n` runs an
open loop instead (n people reach the poster a second), which shows the latency a queue at that pace sees.

    uv run python bench/checkin_burst.py [--clients 100] [--volunteers 2000] [--retries 0.1] [--rate n]

Last line: {"bench": "checkin_burst", "clients", "volunteers", "throughput_per_s", "p50_ms", "p95_ms",
"p99_ms", "lost", "duplicated", "baseline_per_s", "ratio"}.
"""
import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import Stack  # noqa: E402

SEED = r"""
import json, sys
import django
django.setup()
from django.utils import timezone
from ops.centres.models import Base, Centre, Disaster
from ops import normalise
from ops.volunteers import codes
from ops.volunteers.models import Volunteer

count = int(sys.argv[1])
disaster = Disaster.objects.create(name="ベンチ豪雨", prefecture="長野県", started_on=timezone.localdate())
centre = Centre.objects.create(disaster=disaster, name="ベンチ市災害VC", slug="bench", municipality="ベンチ市",
                               prefecture="長野県", lat=36.65, lng=138.18, status="open",
                               daily_capacity=count + 100, insurance_signup_url="https://example.jp/hoken")
Base.objects.create(centre=centre, name="本部", kind="hq", lat=36.65, lng=138.18)
rows = []
for i in range(count):
    phone, kana = f"090-{i // 10000:04d}-{i % 10000:04d}", f"ベンチ {i}"
    rows.append(Volunteer(name=f"ボランティア {i}", kana=kana, phone=phone, phone_normalised=normalise.phone_key(phone),
                          kana_key=normalise.kana_key(kana), age_band="30s", prefecture="長野県", city="ベンチ市",
                          insurance="enrolled", registered_centre=centre))
Volunteer.objects.bulk_create(rows, batch_size=1000)
tokens = list(Volunteer.objects.filter(registered_centre=centre).order_by("pk").values_list("token", flat=True))
print(json.dumps({"centre_id": centre.pk, "slug": centre.slug,
                  "code": codes.daily_code(centre, centre.today()), "tokens": tokens}))
"""

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = {"no_fever": "on", "feeling_well": "on", "rested": "on", "insurance_confirmed": "on", "tetanus": "yes"}


def pct(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class Phones:
    """The burst: `clients` phones, each taking the next volunteer in the queue until it is empty."""

    def __init__(self, base_url, slug, code, clients, retry_every, rate=None):
        self.base, self.clients, self.retry_every = base_url, clients, retry_every
        self.checkin_url = f"{base_url}/p/{slug}/checkin/{code}/"
        self.post_ms, self.get_ms, self.errors, self.retried, self.retry_bad = [], [], [], 0, 0
        self.cookies: dict[str, str] = {}
        self.rate = rate  # None: every phone goes again at once (closed loop); n: n arrivals a second

    async def sign_in_all(self, session, tokens):
        """Registration day, not measured: each phone opened its personal link once (the signed cookie)."""
        queue = asyncio.Queue()
        for t in tokens:
            queue.put_nowait(t)

        async def worker():
            while not queue.empty():
                token = queue.get_nowait()
                async with session.get(f"{self.base}/v/{token}/", allow_redirects=False) as r:
                    body = await r.text()
                    if "dvc_volunteer" not in r.cookies:
                        raise RuntimeError(f"personal page answered {r.status}: {body[:300]}")
                    self.cookies[token] = r.cookies["dvc_volunteer"].value

        await asyncio.gather(*(worker() for _ in range(self.clients)))

    async def check_in(self, session, token, n):
        jar = {"dvc_volunteer": self.cookies[token]}
        t0 = time.perf_counter()
        async with session.get(self.checkin_url, cookies=jar) as r:
            page = await r.text()
            if r.status != 200:
                raise RuntimeError(f"GET {r.status}")
            jar["csrftoken"] = r.cookies["csrftoken"].value
        self.get_ms.append((time.perf_counter() - t0) * 1000)
        form = {**FORM, "csrfmiddlewaretoken": CSRF_INPUT.search(page).group(1)}
        headers = {"Origin": self.base, "Referer": self.checkin_url}
        t1 = time.perf_counter()
        async with session.post(self.checkin_url, data=form, cookies=jar, headers=headers,
                                allow_redirects=False) as r:
            await r.read()
            if r.status != 303:
                raise RuntimeError(f"POST {r.status}")
        self.post_ms.append((time.perf_counter() - t1) * 1000)
        if self.retry_every and n % self.retry_every == 0:  # the same tap again: must be a no-op
            self.retried += 1
            async with session.post(self.checkin_url, data=form, cookies=jar, headers=headers,
                                    allow_redirects=False) as r:
                body = await r.text()
                if r.status != 200 or "受付済み" not in body:
                    self.retry_bad += 1

    async def burst(self, session, tokens):
        queue = asyncio.Queue()
        for n, t in enumerate(tokens):
            queue.put_nowait((n, t))

        start = time.perf_counter()

        async def phone():
            while not queue.empty():
                n, token = queue.get_nowait()
                if self.rate:  # the n-th person reaches the poster at n / rate seconds
                    await asyncio.sleep(max(0.0, start + n / self.rate - time.perf_counter()))
                try:
                    await self.check_in(session, token, n)
                except Exception as exc:  # counted and reported: a failed check-in is a lost one
                    self.errors.append(repr(exc))

        await asyncio.gather(*(phone() for _ in range(self.clients)))
        return time.perf_counter() - start


async def drive(base_url, seed, clients, retry_share, rate=None):
    phones = Phones(base_url, seed["slug"], seed["code"], clients,
                    retry_every=int(round(1 / retry_share)) if retry_share else 0, rate=rate)
    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     cookie_jar=aiohttp.DummyCookieJar()) as session:
        await phones.sign_in_all(session, seed["tokens"])
        # warm both workers (imports, template cache, connections) on a throwaway page
        await asyncio.gather(*(session.get(f"{base_url}/healthz") for _ in range(8)))
        elapsed = await phones.burst(session, seed["tokens"])
    return phones, elapsed


def count_outcome(db_url, centre_id, volunteers):
    with psycopg.connect(db_url) as conn:
        rows, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT volunteer_id) FROM volunteers_attendance WHERE centre_id = %s",
            (centre_id,)).fetchone()
        events = conn.execute("SELECT count(*) FROM centres_event WHERE centre_id = %s AND kind = %s",
                              (centre_id, "attendance.checked_in")).fetchone()[0]
    lost = volunteers - distinct
    duplicated = (rows - distinct) + max(events - rows, 0)
    return rows, events, lost, duplicated


def baseline(db_url, n):
    """A bare insert loop: one autocommitted INSERT per check-in, same unique key, one connection."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_scratch")
        conn.execute("CREATE TABLE bench_scratch (id bigserial PRIMARY KEY, volunteer_id bigint NOT NULL, "
                     "centre_id bigint NOT NULL, date date NOT NULL, checked_in_at timestamptz NOT NULL, "
                     "health jsonb NOT NULL, UNIQUE (volunteer_id, centre_id, date))")
        start = time.perf_counter()
        for i in range(n):
            conn.execute("INSERT INTO bench_scratch (volunteer_id, centre_id, date, checked_in_at, health) "
                         "VALUES (%s, 1, current_date, now(), %s)", (i, '{"no_fever": true}'))
        elapsed = time.perf_counter() - start
        conn.execute("DROP TABLE bench_scratch")
    return n / elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--retries", type=float, default=0.1, help="share of phones that POST twice")
    parser.add_argument("--workers", type=int, default=2)
    # The project's default. Under ASGI Django runs each request in its own thread, so CONN_MAX_AGE > 0
    # keeps one connection per dead thread and runs PostgreSQL out of connections (seen here at 100 phones).
    parser.add_argument("--conn-max-age", default="0", help="CONN_MAX_AGE for the server")
    parser.add_argument("--db-pool", default="10",
                        help="DB_POOL_SIZE for the server: connections pooled per process (0: a connection per request)")
    parser.add_argument("--rate", type=float, default=None,
                        help="open loop: people reaching the poster per second (default: closed loop, each phone "
                             "starts the next check-in as soon as it is done)")
    parser.add_argument("--settings", default="dvc.settings", help="DJANGO_SETTINGS_MODULE for the server")
    args = parser.parse_args(argv)

    with Stack(postgres=True, redis=True) as stack:
        env = stack.env(DJANGO_SETTINGS_MODULE=args.settings, DEBUG="false", LOG_LEVEL="WARNING",
                        CONN_MAX_AGE=args.conn_max_age, DB_POOL_SIZE=args.db_pool, ALLOWED_HOSTS="127.0.0.1,localhost")
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", SEED, str(args.volunteers)], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True).stdout
        seed = json.loads(out.strip().splitlines()[-1])
        print(f"seeded {len(seed['tokens'])} volunteers in {time.perf_counter() - t0:.1f}s", flush=True)
        url = stack.start_server(env=env, workers=args.workers)
        load_before = os.getloadavg()[0]  # other work on the machine skews every figure: say how much
        phones, elapsed = asyncio.run(drive(url, seed, args.clients, args.retries, args.rate))
        rows, events, lost, duplicated = count_outcome(stack.database_url, seed["centre_id"], args.volunteers)
        base = baseline(stack.database_url, args.volunteers)
        server_log = stack.log_tail("server", 5)

    done = len(phones.post_ms)
    throughput = done / elapsed if elapsed else 0.0
    result = {
        "bench": "checkin_burst", "clients": args.clients, "volunteers": args.volunteers,
        "throughput_per_s": round(throughput, 1),
        "p50_ms": round(pct(phones.post_ms, 50), 1), "p95_ms": round(pct(phones.post_ms, 95), 1),
        "p99_ms": round(pct(phones.post_ms, 99), 1),
        "lost": lost, "duplicated": duplicated,
        "baseline_per_s": round(base, 1), "ratio": round(throughput / base, 4) if base else None,
    }
    loop = f"open loop at {args.rate}/s" if args.rate else "closed loop"
    print(f"burst: {done} check-ins by {args.clients} phones ({loop}) in {elapsed:.2f}s -> {throughput:.1f} "
          f"check-ins/s (server: uvicorn x{args.workers}, {args.settings}, DB_POOL_SIZE={args.db_pool}, "
          f"CONN_MAX_AGE={args.conn_max_age})")
    print(f"machine load average (1 min) before the burst: {load_before:.2f}, at the end: {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs")
    print(f"check-in POST latency ms: p50 {result['p50_ms']}  p95 {result['p95_ms']}  p99 {result['p99_ms']}  "
          f"max {max(phones.post_ms, default=float('nan')):.1f}  mean {statistics.fmean(phones.post_ms or [0]):.1f}")
    print(f"check-in page GET latency ms: p50 {pct(phones.get_ms, 50):.1f}  p95 {pct(phones.get_ms, 95):.1f}")
    print(f"retried POSTs: {phones.retried} (answered other than 'already checked in': {phones.retry_bad})")
    print(f"errors: {len(phones.errors)}" + (f" e.g. {phones.errors[:3]}" if phones.errors else ""))
    print(f"database: {rows} attendances, {events} check-in events; lost {lost}, duplicated {duplicated}")
    print(f"baseline: bare psycopg INSERT loop {base:.1f} rows/s; ratio {result['ratio']}")
    if phones.errors and server_log:
        print("server log tail:\n" + server_log)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
