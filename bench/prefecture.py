"""Bench: the prefecture's one registration point on a busy morning. 10 centres of one disaster open one date
with 3,000 places between them; 20,000 registered volunteers apply for it through the real HTTP path
(POST /api/v1/volunteer/applications/ with their personal token, as their phones do), each at one centre of
their choosing (the centres are not equally wanted: some are oversubscribed tenfold, one barely); then the
prefecture allocates every offering (the service the 割当 button and the beat call), by a draw where
oversubscribed.

Figures: applications per second and p95 of the POST; allocation seconds (all 10 offerings, wall clock, on the
real database); places, allocated, and double_allocated = (people with more than one live place that date) +
(bookings beyond one per person and centre and date) + (places given beyond an offering's places). Every place
must be used: allocated == places.

    uv run python bench/prefecture.py [--centres 10] [--volunteers 20000] [--places 3000] [--clients 100]

Last line: {"bench": "prefecture", "centres", "volunteers", "applications_per_s", "p95_ms", "allocation_s",
"places", "allocated", "double_allocated"}. Target: allocation <= 10 s, 0 double-allocated, every place used.
"""
import argparse
import asyncio
import json
import os
import random
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
from datetime import timedelta
import django
django.setup()
from django.utils import timezone
from ops import normalise
from ops.centres.models import Base, Centre, Disaster
from ops.prefecture.services.offerings import open_offering
from ops.volunteers.models import Volunteer

centres_n, count, places = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
disaster = Disaster.objects.create(name="ベンチ豪雨", prefecture="長野県", started_on=timezone.localdate())
offerings = []
for i in range(centres_n):
    centre = Centre.objects.create(disaster=disaster, name=f"ベンチ{i}市災害VC", slug=f"bench-{i}",
                                   municipality=f"ベンチ{i}市", prefecture="長野県", lat=36.65, lng=138.18,
                                   status="open", daily_capacity=places)
    Base.objects.create(centre=centre, name="本部", kind="hq", lat=36.65, lng=138.18)
    share = places // centres_n + (1 if i < places % centres_n else 0)
    offerings.append(open_offering(centre, on=centre.today() + timedelta(days=2), places_n=share).pk)
rows = []
for i in range(count):
    phone, kana = f"090-{i // 10000:04d}-{i % 10000:04d}", f"ベンチ {i}"
    rows.append(Volunteer(name=f"ボランティア {i}", kana=kana, phone=phone, phone_normalised=normalise.phone_key(phone),
                          kana_key=normalise.kana_key(kana), age_band="30s", prefecture="長野県", city="長野市",
                          insurance="enrolled", email=f"v{i}@example.jp", registered_disaster=disaster))
Volunteer.objects.bulk_create(rows, batch_size=2000)
tokens = list(Volunteer.objects.filter(registered_disaster=disaster).order_by("pk").values_list("token", flat=True))
print(json.dumps({"offerings": offerings, "tokens": tokens}))
"""

ALLOCATE = r"""
import json, sys, time
import django
django.setup()
from ops.prefecture.services.allocation import allocate

ids = json.loads(sys.argv[1])
start = time.perf_counter()
results = [allocate(pk) for pk in ids]
elapsed = time.perf_counter() - start
print(json.dumps({"allocation_s": elapsed, "methods": [r.method for r in results],
                  "allocated": sum(r.allocated for r in results), "waiting": sum(r.waiting for r in results)}))
"""


def pct(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def choices(offerings, n, seed=7):
    """Where each volunteer applies: the centres weighted 10:9:...:1, so the first is wanted most."""
    weights = list(range(len(offerings), 0, -1))
    return random.Random(seed).choices(offerings, weights=weights, k=n)


async def apply_all(base_url, tokens, targets, clients):
    latencies, errors, answers = [], [], {}
    queue = asyncio.Queue()
    for item in zip(tokens, targets, strict=True):
        queue.put_nowait(item)
    url = f"{base_url}/api/v1/volunteer/applications/"

    async def phone(session):
        while not queue.empty():
            token, offering = queue.get_nowait()
            t0 = time.perf_counter()
            try:
                async with session.post(url, json={"offering": offering},
                                        headers={"Authorization": f"Volunteer {token}"}) as r:
                    await r.read()
                    answers[r.status] = answers.get(r.status, 0) + 1
                    if r.status != 201:
                        errors.append(r.status)
            except Exception as exc:  # counted: an application lost
                errors.append(repr(exc))
            latencies.append((time.perf_counter() - t0) * 1000)

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60),
                                     cookie_jar=aiohttp.DummyCookieJar()) as session:
        await asyncio.gather(*(session.get(f"{base_url}/healthz") for _ in range(8)))
        start = time.perf_counter()
        await asyncio.gather(*(phone(session) for _ in range(clients)))
        elapsed = time.perf_counter() - start
    return latencies, errors, answers, elapsed


def outcome(db_url, offerings):
    with psycopg.connect(db_url) as conn:
        places = conn.execute("SELECT coalesce(sum(places), 0) FROM prefecture_offering WHERE id = ANY(%s)",
                              (offerings,)).fetchone()[0]
        allocated = conn.execute("SELECT count(*) FROM prefecture_application WHERE offering_id = ANY(%s) "
                                 "AND status = 'allocated'", (offerings,)).fetchone()[0]
        applications = conn.execute("SELECT count(*) FROM prefecture_application WHERE offering_id = ANY(%s)",
                                    (offerings,)).fetchone()[0]
        undecided = conn.execute("SELECT count(*) FROM prefecture_application WHERE offering_id = ANY(%s) "
                                 "AND status = 'applied'", (offerings,)).fetchone()[0]
        two_places = conn.execute(
            "SELECT count(*) FROM (SELECT volunteer_id FROM prefecture_application WHERE status = 'allocated' "
            "GROUP BY volunteer_id, date HAVING count(*) > 1) t").fetchone()[0]
        extra_bookings = conn.execute(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) n FROM volunteers_booking "
            "WHERE cancelled_at IS NULL GROUP BY volunteer_id, centre_id, date) t").fetchone()[0]
        overfilled = conn.execute(
            "SELECT coalesce(sum(greatest(a.n - o.places, 0)), 0) FROM prefecture_offering o JOIN "
            "(SELECT offering_id, count(*) n FROM prefecture_application WHERE status = 'allocated' "
            "GROUP BY offering_id) a ON a.offering_id = o.id").fetchone()[0]
        bookings = conn.execute("SELECT count(*) FROM volunteers_booking WHERE cancelled_at IS NULL").fetchone()[0]
    return {"places": int(places), "allocated": allocated, "applications": applications, "undecided": undecided,
            "double_allocated": int(two_places + extra_bookings + overfilled), "bookings": bookings}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--centres", type=int, default=10)
    parser.add_argument("--volunteers", type=int, default=20000)
    parser.add_argument("--places", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    args = parser.parse_args(argv)

    with Stack(postgres=True, redis=True) as stack:
        env = stack.env(DJANGO_SETTINGS_MODULE="dvc.settings", DEBUG="false", LOG_LEVEL="WARNING",
                        ALLOWED_HOSTS="127.0.0.1,localhost")
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", SEED, str(args.centres), str(args.volunteers), str(args.places)],
                             cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
        seed = json.loads(out.strip().splitlines()[-1])
        print(f"seeded {args.centres} centres, {len(seed['tokens'])} volunteers, offerings {seed['offerings']} "
              f"in {time.perf_counter() - t0:.1f}s", flush=True)
        url = stack.start_server(env=env, workers=args.workers)
        targets = choices(seed["offerings"], len(seed["tokens"]))
        load_before = os.getloadavg()[0]
        latencies, errors, answers, elapsed = asyncio.run(apply_all(url, seed["tokens"], targets, args.clients))
        print(f"applications: {len(latencies)} POSTs by {args.clients} clients in {elapsed:.1f}s; answers {answers}; "
              f"errors {len(errors)}" + (f" e.g. {errors[:3]}" if errors else ""), flush=True)
        stack.stop_process("server")
        out = subprocess.run([sys.executable, "-c", ALLOCATE, json.dumps(seed["offerings"])], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True).stdout
        allocation = json.loads(out.strip().splitlines()[-1])
        found = outcome(stack.database_url, seed["offerings"])

    rate = len(latencies) / elapsed if elapsed else 0.0
    result = {"bench": "prefecture", "centres": args.centres, "volunteers": args.volunteers,
              "applications_per_s": round(rate, 1), "p95_ms": round(pct(latencies, 95), 1),
              "allocation_s": round(allocation["allocation_s"], 2), "places": found["places"],
              "allocated": found["allocated"], "double_allocated": found["double_allocated"]}
    print(f"machine load average (1 min) before the applications: {load_before:.2f}, at the end: "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"application POST latency ms: p50 {pct(latencies, 50):.1f}  p95 {result['p95_ms']}  "
          f"p99 {pct(latencies, 99):.1f}  max {max(latencies, default=float('nan')):.1f}")
    print(f"allocation: {allocation['allocation_s']:.2f}s for {args.centres} offerings, methods "
          f"{allocation['methods']}; {allocation['allocated']} allocated, {allocation['waiting']} waiting")
    print(f"database: {found['applications']} applications ({found['undecided']} undecided), {found['places']} "
          f"places, {found['allocated']} allocated, {found['bookings']} open bookings, double allocated "
          f"{found['double_allocated']}; every place used: {found['allocated'] == found['places']}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
