"""Bench: a news-day crowd on the public JSON. Many anonymous clients poll /p/<centre>/board.json through the real
HTTP server (uvicorn, 2 workers, PostgreSQL, Redis) while the morning's check-ins go through the real check-in
path, measured beside a static file served by the same server in the same run.

Phase A (the feed): `--clients` clients each poll the centre's public JSON in a closed loop (the next request as
soon as the answer is in), sending If-None-Match with the last ETag they got, as a browser or a CDN revalidates.
Meanwhile volunteers check in at `--checkin-rate` a second (an open loop: each scans the poster, GET the
check-in page and POST, as bench/checkin_burst.py's phones do), so the document keeps changing: a poll is
answered 304 while it is current and 200 with the new document after a check-in moved a counter.

Phase B (the baseline): the same clients poll a static file (the public board's script, larger than the document,
served by WhiteNoise inside the same Django process), the same way (If-None-Match with the last ETag: WhiteNoise
answers 304 as well), for as long, with the same check-ins going on. Same clients, same revalidation, same
background load: the ratio is what the feed costs beside the cheapest request the server answers.
`--static-plain` polls the static file without If-None-Match instead (every answer a 200 with the body).

requests_per_s counts the polls answered in a phase, per second; p95_ms is the latency of a poll;
not_modified_share is the share of the feed's polls answered 304. A closed loop of N clients has, by Little's
law, a mean latency of about N / throughput: the p95 target at 200 clients needs ~2,000 answers a second.
`--think-ms` adds a pause between a client's polls (a browser polls every few seconds; CDNs revalidate).

    uv run python bench/public_feed.py [--clients 200] [--seconds 20] [--checkin-rate 25] [--needs 300]

Last line: {"bench": "public_feed", "clients", "requests_per_s", "p95_ms", "not_modified_share",
"static_requests_per_s", "ratio"} (+ "p50_ms", "static_p95_ms", "checkins", "checkins_per_s", "bytes",
"static_bytes", "errors", "set_cookie").
"""
import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from checkin_burst import SEED as VOLUNTEER_SEED  # noqa: E402  (the centre "bench" and its volunteers)
from checkin_burst import Phones, pct  # noqa: E402

from harness import Stack  # noqa: E402

# What a council's page shows: the centre's public information, a disaster's worth of needs (some completed),
# bookings ahead: the snapshot the feed serves is the real one, not an empty centre's.
PUBLIC_SEED = r"""
import random, sys
from datetime import time as clock, timedelta
import django
django.setup()
from django.utils import timezone
from ops.centres import services
from ops.centres.models import Centre
from ops.needs.models import Need, NeedStatus

count = int(sys.argv[1])
rng = random.Random(22)
centre = Centre.objects.get(slug="bench")
centre.phone, centre.address = "026-000-0000", "長野県ベンチ市中央1-1"
centre.save()
services.set_public_info(centre, work_today="土砂の撤去、家財の運び出し", tomorrow_meeting_time=clock(8, 30),
                         tomorrow_meeting_place="ベンチ市総合体育館 駐車場", tomorrow_plan="中央・川端地区の泥出し",
                         status_message="本日の受付は 8:30 から 11:00 まで")
now = timezone.now()
statuses = [NeedStatus.READY] * 4 + [NeedStatus.NEW, NeedStatus.ASSIGNED, NeedStatus.COMPLETED, NeedStatus.COMPLETED]
Need.objects.bulk_create([
    Need(centre=centre, number=i, received_at=now - timedelta(minutes=7 * i), requester_name=f"依頼者 {i}",
         requester_kana="イライシャ", phone=f"090-{i:04d}-0000", address=f"ベンチ市中央{i % 50}-{i % 13}",
         district="中央", lat=36.65 + rng.gauss(0, 0.02), lng=138.18 + rng.gauss(0, 0.02),
         people_needed=rng.choice([3, 5, 8]), priority=2, status=rng.choice(statuses))
    for i in range(1, count + 1)], batch_size=1000)
"""

STATIC_PATH = "/static/boards/public.js"


class Pollers:
    """`clients` clients polling one URL in a closed loop until `until` (perf_counter), optionally with
    If-None-Match set to the last ETag each got."""

    def __init__(self):
        self.ms, self.statuses, self.errors, self.set_cookie, self.size = [], {}, [], 0, 0

    async def run(self, session, url, clients, seconds, *, conditional=True, think=0.0):
        start = time.perf_counter()
        until = start + seconds

        async def client():
            etag = None
            while time.perf_counter() < until:
                headers = {"If-None-Match": etag} if conditional and etag else {}
                t0 = time.perf_counter()
                try:
                    async with session.get(url, headers=headers) as r:
                        body = await r.read()
                        status = r.status
                        if "Set-Cookie" in r.headers:
                            self.set_cookie += 1
                        if status == 200:
                            etag, self.size = r.headers.get("ETag"), len(body)
                except Exception as exc:  # counted and reported
                    self.errors.append(repr(exc))
                    continue
                self.ms.append((time.perf_counter() - t0) * 1000)
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if think:
                    await asyncio.sleep(think)

        await asyncio.gather(*(client() for _ in range(clients)))
        return time.perf_counter() - start

    @property
    def count(self):
        return len(self.ms)

    def share(self, status):
        return self.statuses.get(status, 0) / self.count if self.count else 0.0


async def checkins_during(phones, session, tokens, seconds):
    """Check-ins at the phones' rate until the phase ends (those still under way then are cut off)."""
    task = asyncio.ensure_future(phones.burst(session, tokens))
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=seconds + 2)
    except TimeoutError:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def drive(base, seed, args):
    per_phase = int(args.checkin_rate * args.seconds)
    tokens = seed["tokens"][: 2 * per_phase]
    phones = Phones(base, seed["slug"], seed["code"], clients=max(4, int(args.checkin_rate)), retry_every=0,
                    rate=args.checkin_rate or None)
    feed_url, static_url = f"{base}/p/{seed['slug']}/board.json", base + STATIC_PATH
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=phones.clients), timeout=timeout,
                                     cookie_jar=aiohttp.DummyCookieJar()) as phone_session, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=args.clients), timeout=timeout,
                                  cookie_jar=aiohttp.DummyCookieJar()) as poll_session:
        if tokens:
            await phones.sign_in_all(phone_session, tokens)  # registration day: not measured
        # warm both workers: imports, templates, the feed's cache, the pool's connections
        warm = Pollers()
        await warm.run(poll_session, feed_url, min(args.clients, 20), 1.0)
        await warm.run(poll_session, static_url, min(args.clients, 20), 1.0)

        results = {}
        for phase, url, conditional in (("feed", feed_url, True), ("static", static_url, not args.static_plain)):
            pollers = Pollers()
            burst = tokens[:per_phase] if phase == "feed" else tokens[per_phase:]
            before = len(phones.post_ms)
            load_before = os.getloadavg()[0]
            checkins = checkins_during(phones, phone_session, burst, args.seconds) if burst else asyncio.sleep(0)
            elapsed, _ = await asyncio.gather(
                pollers.run(poll_session, url, args.clients, args.seconds, conditional=conditional,
                            think=args.think_ms / 1000), checkins)
            results[phase] = (pollers, elapsed, len(phones.post_ms) - before, load_before)
    return results, phones


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0, help="each phase's length")
    parser.add_argument("--checkin-rate", type=float, default=25.0, help="check-ins a second during both phases")
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--needs", type=int, default=300)
    parser.add_argument("--think-ms", type=float, default=0.0, help="a client's pause between two polls")
    parser.add_argument("--static-plain", action="store_true", help="poll the static file without If-None-Match")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--settings", default="dvc.settings", help="DJANGO_SETTINGS_MODULE for the server")
    args = parser.parse_args(argv)
    needed = int(2 * args.checkin_rate * args.seconds)
    if needed > args.volunteers:
        parser.error(f"--volunteers must be at least 2 x checkin-rate x seconds = {needed}")

    with Stack(postgres=True, redis=True) as stack:
        env = stack.env(DJANGO_SETTINGS_MODULE=args.settings, DEBUG="false", LOG_LEVEL="WARNING",
                        ALLOWED_HOSTS="127.0.0.1,localhost")
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        # As the image does: WhiteNoise serves STATIC_ROOT (the test settings' finders are not used here).
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", VOLUNTEER_SEED, str(args.volunteers)], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True).stdout
        seed = json.loads(out.strip().splitlines()[-1])
        subprocess.run([sys.executable, "-c", PUBLIC_SEED, str(args.needs)], cwd=ROOT, env=env, check=True,
                       capture_output=True, text=True)
        print(f"seeded {len(seed['tokens'])} volunteers and {args.needs} needs in {time.perf_counter() - t0:.1f}s",
              flush=True)
        url = stack.start_server(env=env, workers=args.workers)
        results, phones = asyncio.run(drive(url, seed, args))
        server_log = stack.log_tail("server", 5)

    feed, feed_s, feed_checkins, load_a = results["feed"]
    static, static_s, static_checkins, load_b = results["static"]
    rps, static_rps = feed.count / feed_s, static.count / static_s
    result = {
        "bench": "public_feed", "clients": args.clients, "requests_per_s": round(rps, 1),
        "p95_ms": round(pct(feed.ms, 95), 1), "not_modified_share": round(feed.share(304), 3),
        "static_requests_per_s": round(static_rps, 1), "ratio": round(rps / static_rps, 3) if static_rps else None,
        "p50_ms": round(pct(feed.ms, 50), 1), "static_p95_ms": round(pct(static.ms, 95), 1),
        "checkins": feed_checkins, "checkins_per_s": round(feed_checkins / feed_s, 1),
        "bytes": feed.size, "static_bytes": static.size,
        "errors": len(feed.errors) + len(static.errors) + len(phones.errors),
        "set_cookie": feed.set_cookie,
    }
    think = f", {args.think_ms:.0f} ms between polls" if args.think_ms else ", closed loop"
    print(f"server: uvicorn x{args.workers}, {args.settings}; {args.clients} clients{think}; "
          f"check-ins at {args.checkin_rate}/s; {os.cpu_count()} CPUs")
    print(f"{'phase':<8}{'polls':>8}{'per s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'304':>7}{'bytes':>8}"
          f"{'check-ins':>11}{'load':>6}")
    for name, p, secs, done, load in (("feed", feed, feed_s, feed_checkins, load_a),
                                       ("static", static, static_s, static_checkins, load_b)):
        print(f"{name:<8}{p.count:>8}{p.count / secs:>9.1f}{pct(p.ms, 50):>9.1f}{pct(p.ms, 95):>9.1f}"
              f"{pct(p.ms, 99):>9.1f}{p.share(304):>7.1%}{p.size:>8}{done:>11}{load:>6.2f}")
    print(f"check-in POST latency ms: p50 {pct(phones.post_ms, 50):.1f}  p95 {pct(phones.post_ms, 95):.1f}")
    other = {s: n for s, n in {**feed.statuses}.items() if s not in (200, 304)}
    print(f"feed answers other than 200/304: {other or 'none'}; with Set-Cookie: {feed.set_cookie}")
    errors = feed.errors + static.errors + phones.errors
    print(f"errors: {len(errors)}" + (f" e.g. {errors[:3]}" if errors else ""))
    ok = rps >= 0.5 * static_rps and result["p95_ms"] <= 100
    print(f"targets (ratio >= 0.5 of the static file, p95 <= 100 ms): {'met' if ok else 'MISSED'}; "
          f"machine load average (1 min) at the end {os.getloadavg()[0]:.2f}")
    if errors and server_log:
        print("server log tail:\n" + server_log)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
