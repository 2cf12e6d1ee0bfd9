"""Bench: the map board's needs feed with 10,000 needs, through the real HTTP server (uvicorn, 2 workers,
PostgreSQL).

Prints the server-side time of the feed (the view's own Server-Timing header: query, encoding and gzip),
the round trip seen by the client, and the payload size raw and gzip. Targets: <= 250 ms, <= 1 MB gzip.
Last line: {"bench": "map_feed", "needs", "server_ms", "bytes", "gzip_bytes"}.

    uv run python bench/map_feed.py [--needs 10000] [--runs 15]
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

count = int(sys.argv[1])
rng = random.Random(42)
disaster = Disaster.objects.create(name="ベンチ豪雨", prefecture="長野県", started_on=timezone.localdate())
centre = Centre.objects.create(disaster=disaster, name="ベンチ市災害VC", slug="bench", municipality="ベンチ市",
                               prefecture="長野県", lat=36.65, lng=138.18, status="open")
Base.objects.create(centre=centre, name="本部", kind="hq", lat=36.65, lng=138.18)
districts = ["中央", "川端", "北町", "南町", "東区", "西区", "若宮", "堤", "新田", "松原", "桜台", "本郷"]
statuses = ([NeedStatus.READY] * 5 + [NeedStatus.NEW] * 2 + [NeedStatus.ASSIGNED, NeedStatus.IN_PROGRESS,
            NeedStatus.CONTINUING, NeedStatus.SURVEYED, NeedStatus.ON_HOLD, NeedStatus.COMPLETED,
            NeedStatus.COMPLETED, NeedStatus.CANCELLED])
now = timezone.now()
rows = []
for i in range(1, count + 1):
    rows.append(Need(centre=centre, number=i, received_at=now - timedelta(minutes=i),
                     requester_name=f"依頼者 {i}", requester_kana="イライシャ", phone=f"090-{i:04d}-0000",
                     address=f"ベンチ市{rng.choice(districts)}{i % 50}-{i % 13}", district=rng.choice(districts),
                     lat=36.65 + rng.gauss(0, 0.02), lng=138.18 + rng.gauss(0, 0.025),
                     people_needed=rng.choice([3, 5, 5, 8, 10, 15]), priority=rng.choice([1, 2, 2, 3]),
                     welfare=rng.choice(["none"] * 8 + ["watch", "crisis"]), status=rng.choice(statuses)))
Need.objects.bulk_create(rows, batch_size=2000)
codes = list(WorkType.objects.values_list("id", flat=True))
Through = Need.work_types.through
links = []
for need_id in Need.objects.filter(centre=centre).values_list("id", flat=True):
    for wt in rng.sample(codes, rng.choice([1, 1, 2, 3])):
        links.append(Through(need_id=need_id, worktype_id=wt))
Through.objects.bulk_create(links, batch_size=5000)
user = get_user_model().objects.create_user("bench-coord", password="bench-pass-not-secret")
Membership.objects.create(user=user, centre=centre, role=Role.COORDINATOR)
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
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)

    with Stack(postgres=True, redis=True) as stack:
        env = stack.env()
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        t0 = time.perf_counter()
        seeded = subprocess.run([sys.executable, "-c", SEED, str(args.needs)], cwd=ROOT, env=env, check=True,
                                capture_output=True, text=True)
        cookie = seeded.stdout.strip().splitlines()[-1]
        print(f"seeded {args.needs} needs in {time.perf_counter() - t0:.1f} s", flush=True)
        subprocess.run([sys.executable, "manage.py", "shell", "-c",
                        "from django.db import connection; connection.cursor().execute('ANALYZE')"],
                       cwd=ROOT, env=env, check=True, capture_output=True)
        base = stack.start_server(workers=2)
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


if __name__ == "__main__":
    sys.exit(main())
