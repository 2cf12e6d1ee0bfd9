"""Bench: the map board's needs feed, through the real HTTP server (uvicorn, 2 workers, PostgreSQL).

Two cases. `town` (the default): one centre's board feed with 10,000 needs; targets <= 250 ms, <= 1 MB gzip.
`prefecture`: the prefecture view's feed of a disaster's 10 centres, 60,000 needs in one view; targets
<= 1 s server time (median), <= 5 MB gzip, and the page drawn by headless chromium (Debian's, through
Playwright, as the end-to-end tests) in <= 2 s from the feed's request to the canvas drawn.

Prints the server-side time of the feed (the view's own Server-Timing header: query, encoding and gzip),
the round trip seen by the client, and the payload size raw and gzip.
Last line: {"bench": "map_feed", "needs", "server_ms", "bytes", "gzip_bytes"} (+ "centres", "draw_ms" for
the prefecture case).

    uv run python bench/map_feed.py [--case town|prefecture] [--needs N] [--centres N] [--runs 15]
"""
import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import Stack  # noqa: E402

SEED = r"""
import random, sys
from datetime import timedelta
import django
django.setup()
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from ops.centres.models import Base, Centre, Disaster, Membership, Role
from ops.needs.models import Need, NeedStatus, WorkType
from django.contrib.auth import get_user_model

count, n_centres = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(42)
disaster = Disaster.objects.create(name="ベンチ豪雨", prefecture="長野県", started_on=timezone.localdate())
centres = []
for c in range(n_centres):  # a prefecture's towns about 15 km apart
    lat, lng = 36.65 + (c // 4) * 0.15, 138.18 + (c % 4) * 0.18
    centres.append(Centre.objects.create(
        disaster=disaster, name=f"ベンチ市{c + 1}災害VC", slug="bench" if c == 0 else f"bench-{c + 1}",
        municipality=f"ベンチ市{c + 1}", prefecture="長野県", lat=lat, lng=lng, status="open"))
    Base.objects.create(centre=centres[-1], name="本部", kind="hq", lat=lat, lng=lng)
districts = ["中央", "川端", "北町", "南町", "東区", "西区", "若宮", "堤", "新田", "松原", "桜台", "本郷"]
statuses = ([NeedStatus.READY] * 5 + [NeedStatus.NEW] * 2 + [NeedStatus.ASSIGNED, NeedStatus.IN_PROGRESS,
            NeedStatus.CONTINUING, NeedStatus.SURVEYED, NeedStatus.ON_HOLD, NeedStatus.COMPLETED,
            NeedStatus.COMPLETED, NeedStatus.CANCELLED])
now = timezone.now()
rows = []
for i in range(1, count + 1):
    centre = centres[(i - 1) % n_centres]
    rows.append(Need(centre=centre, number=(i - 1) // n_centres + 1, received_at=now - timedelta(minutes=i),
                     requester_name=f"依頼者 {i}", requester_kana="イライシャ", phone=f"090-{i:04d}-0000",
                     address=f"ベンチ市{rng.choice(districts)}{i % 50}-{i % 13}", district=rng.choice(districts),
                     lat=centre.lat + rng.gauss(0, 0.02), lng=centre.lng + rng.gauss(0, 0.025),
                     people_needed=rng.choice([3, 5, 5, 8, 10, 15]), priority=rng.choice([1, 2, 2, 3]),
                     welfare=rng.choice(["none"] * 8 + ["watch", "crisis"]), status=rng.choice(statuses)))
Need.objects.bulk_create(rows, batch_size=2000)
codes = list(WorkType.objects.values_list("id", flat=True))
Through = Need.work_types.through
links = []
for need_id in Need.objects.values_list("id", flat=True):
    for wt in rng.sample(codes, rng.choice([1, 1, 2, 3])):
        links.append(Through(need_id=need_id, worktype_id=wt))
Through.objects.bulk_create(links, batch_size=5000)
user = get_user_model().objects.create_user("bench-coord", password="bench-pass-not-secret")
Membership.objects.create(user=user, centre=centres[0], role=Role.COORDINATOR)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def fetch(url, cookie, *, gzip):
    headers = {"Cookie": f"sessionid={cookie}", "Accept": "application/geo+json"}
    if gzip:
        headers["Accept-Encoding"] = "gzip"
    request = urllib.request.Request(url, headers=headers)
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback URL we built)
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        timing = response.headers.get("Server-Timing", "")
        encoding = response.headers.get("Content-Encoding", "")
    server = float(timing.split("dur=", 1)[1]) if "dur=" in timing else float("nan")
    return body, server, elapsed, encoding


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", choices=("town", "prefecture"), default="town")
    parser.add_argument("--needs", type=int, default=None, help="10,000 (town) or 60,000 (prefecture)")
    parser.add_argument("--centres", type=int, default=10, help="the prefecture case's centres")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    prefecture = args.case == "prefecture"
    args.needs = args.needs or (60_000 if prefecture else 10_000)
    centres = args.centres if prefecture else 1

    with Stack(postgres=True, redis=True) as stack:
        env = stack.env()
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        t0 = time.perf_counter()
        seeded = subprocess.run([sys.executable, "-c", SEED, str(args.needs), str(centres)], cwd=ROOT, env=env,
                                check=True, capture_output=True, text=True)
        cookie = seeded.stdout.strip().splitlines()[-1]
        print(f"seeded {args.needs} needs in {centres} centre(s) in {time.perf_counter() - t0:.1f} s", flush=True)
        subprocess.run([sys.executable, "manage.py", "shell", "-c",
                        "from django.db import connection; connection.cursor().execute('ANALYZE')"],
                       cwd=ROOT, env=env, check=True, capture_output=True)
        base = stack.start_server(workers=2)
        if prefecture:
            return prefecture_case(base, cookie, args, centres)
        # The whole town, every status: the heaviest request the board can make.
        statuses = "new,surveyed,ready,assigned,in_progress,continuing,completed,cancelled,on_hold"
        url = f"{base}/c/bench/map/needs.geojson?bbox=137.9,36.4,138.5,36.9&status={statuses}"
        default_url = f"{base}/c/bench/map/needs.geojson?bbox=137.9,36.4,138.5,36.9"

        for _ in range(3):  # warm both workers
            fetch(url, cookie, gzip=True)
        raw, _s, _e, _enc = fetch(url, cookie, gzip=False)
        features = len(json.loads(raw)["features"])
        gz_server, gz_total, raw_server = [], [], []
        packed = b""
        for _ in range(args.runs):
            packed, server, total, encoding = fetch(url, cookie, gzip=True)
            assert encoding == "gzip", "the feed should be gzip-compressed for clients that accept it"
            gz_server.append(server)
            gz_total.append(total)
            raw_server.append(fetch(url, cookie, gzip=False)[1])
        default_features = len(json.loads(fetch(default_url, cookie, gzip=False)[0])["features"])

    assert features > 0 and default_features > 0, "the bench measured an empty feed"
    server_ms = statistics.median(gz_server)
    print(f"features in the feed (all statuses): {features}; open needs only (board default): {default_features}")
    print(f"server time, gzip response: median {server_ms:.1f} ms, p90 {sorted(gz_server)[int(len(gz_server) * .9) - 1]:.1f} ms")
    print(f"server time, raw response:  median {statistics.median(raw_server):.1f} ms")
    print(f"round trip seen by the client (gzip): median {statistics.median(gz_total):.1f} ms")
    print(f"payload: {len(raw):,} bytes raw, {len(packed):,} bytes gzip")
    ok = server_ms <= 250 and len(packed) <= 1_000_000
    print(f"targets (<= 250 ms, <= 1 MB gzip): {'met' if ok else 'MISSED'}")
    print(json.dumps({"bench": "map_feed", "needs": args.needs, "server_ms": round(server_ms, 1),
                      "bytes": len(raw), "gzip_bytes": len(packed)}))
    return 0


# As tests/conftest.py starts chromium (not imported from there: it needs Django set up).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ALL_STATUSES = "new,surveyed,ready,assigned,in_progress,continuing,completed,cancelled,on_hold"


def prefecture_case(base, cookie, args, centres) -> int:
    """The prefecture view's feed (every status: the heaviest request) and the page drawn in chromium."""
    url = f"{base}/c/bench/map/area/needs.json?status={ALL_STATUSES}"
    for _ in range(3):
        fetch(url, cookie, gzip=True)
    raw = fetch(url, cookie, gzip=False)[0]
    feed = json.loads(raw)
    needs = len(feed["needs"])
    assert needs == args.needs and len(feed["centres"]) == centres, (needs, len(feed["centres"]))
    gz_server, gz_total, packed = [], [], b""
    for _ in range(args.runs):
        packed, server, total, encoding = fetch(url, cookie, gzip=True)
        assert encoding == "gzip"
        gz_server.append(server)
        gz_total.append(total)
    draws = draw_in_chromium(base, cookie, f"/c/bench/map/area/?status={ALL_STATUSES}")
    server_ms = statistics.median(gz_server)
    draw_ms = statistics.median(d["total"] for d in draws)
    print(f"prefecture view: {needs} needs in {centres} centres (every status)")
    print(f"server time, gzip response: median {server_ms:.1f} ms, max {max(gz_server):.1f} ms")
    print(f"round trip seen by the client (gzip): median {statistics.median(gz_total):.1f} ms")
    print(f"payload: {len(raw):,} bytes raw, {len(packed):,} bytes gzip")
    for d in draws:
        print(f"chromium: request to canvas drawn {d['total']:.0f} ms (fetch {d['fetch']:.0f}, parse {d['parse']:.0f}, "
              f"draw {d['draw']:.0f}); a pan redraw {d['redraw']:.0f} ms; {d['points']} points")
    ok = server_ms <= 1000 and len(packed) <= 5_000_000 and draw_ms <= 2000
    print(f"targets (<= 1 s server, <= 5 MB gzip, <= 2 s drawn): {'met' if ok else 'MISSED'}")
    print(json.dumps({"bench": "map_feed", "needs": needs, "server_ms": round(server_ms, 1), "bytes": len(raw),
                      "gzip_bytes": len(packed), "centres": centres, "draw_ms": round(draw_ms, 1)}))
    return 0


def draw_in_chromium(base, cookie, path, runs=3) -> list[dict]:
    """The page in Debian's headless chromium (as tests/conftest.py starts it): DVC.area.timing, three loads."""
    import shutil

    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=CHROMIUM_ARGS, headless=True)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
            context.route(r"^https?://(?!127\.0\.0\.1[:/]).*", lambda route: route.fulfill(status=204))
            page = context.new_page()
            page.goto(base + path)
            page.wait_for_function("() => window.DVC && DVC.area && DVC.area.timing", timeout=60000)
            timing = page.evaluate("DVC.area.timing")
            timing["redraw"] = page.evaluate("""() => new Promise(done => {
                DVC.area.dots.once('drawn', e => done(e.ms)); DVC.area.map.panBy([200, 100], {animate: false}); })""")
            results.append(timing)
            context.close()
        browser.close()
    return results


if __name__ == "__main__":
    sys.exit(main())
