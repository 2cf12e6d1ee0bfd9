"""Bench: base map tiles served by the app itself (mapping/tiles.py) from an MBTiles file, through the real HTTP
server (uvicorn with the project's handler, PostgreSQL and Redis behind the rest of the app).

A file of drawn tiles (the demo grid, z10-15 over about 22 x 22 km: a town's worth) is loaded with TILE_MBTILES;
`--clients` threads, each on its own keep-alive connection, ask for random tiles for `--seconds`, as browsers
panning the map would. A second round sends If-None-Match, as a browser revalidating its cache. Prints tiles
per second, latency p50/p95/p99, bytes per tile and any failure. Last line: {"bench": "tiles", "workers",
"clients", "tiles", "tiles_per_s", "p50_ms", "p95_ms", "p99_ms", "not_modified_per_s", "errors"}.

    uv run python bench/tiles.py [--clients 16] [--seconds 10] [--workers 1]
"""
import argparse
import http.client
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import Stack  # noqa: E402

AREA = (138.08, 36.55, 138.28, 36.75)  # west, south, east, north


def build_file(path: Path) -> list[tuple[int, int, int]]:
    """The demo grid's file over AREA; returns every tile's XYZ address."""
    import sqlite3

    from mapping import demo_basemap

    demo_basemap.write_demo(path, west=AREA[0], south=AREA[1], east=AREA[2], north=AREA[3])
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT zoom_level, tile_column, tile_row FROM tiles").fetchall()
    return [(z, x, (1 << z) - 1 - row) for z, x, row in rows]


def hammer(base: str, version: str, addresses, seconds: float, clients: int, revalidate: bool):
    """`clients` threads asking for random tiles until the time is up: (latencies in ms, bytes, errors)."""
    host = urlsplit(base)
    stop = time.perf_counter() + seconds
    latencies, sizes, errors = [], [], []
    lock = threading.Lock()

    def client(seed):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        mine, got, bad = [], [], []
        while time.perf_counter() < stop:
            z, x, y = rng.choice(addresses)
            headers = {"If-None-Match": f'"{version}-{z}-{x}-{y}"'} if revalidate else {}
            started = time.perf_counter()
            try:
                conn.request("GET", f"/tiles/basemap/{z}/{x}/{y}.png?v={version}", headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as err:
                bad.append(repr(err))
                conn.close()
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != (304 if revalidate else 200):
                bad.append(f"{response.status} for {z}/{x}/{y}")
            got.append(len(body))
        conn.close()
        with lock:
            latencies.extend(mine)
            sizes.extend(got)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, sizes, errors


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch, Stack(postgres=True, redis=True) as stack:
        path = Path(scratch) / "bench.mbtiles"
        env = stack.env(TILE_MBTILES=str(path))
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        t0 = time.perf_counter()
        code = ("import django, json, sys; django.setup(); sys.path.insert(0, 'bench'); import tiles;"
                f"print(json.dumps(tiles.build_file(__import__('pathlib').Path({str(path)!r}))))")
        addresses = [tuple(a) for a in json.loads(subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout)]
        size_mb = path.stat().st_size / 1e6
        print(f"built {len(addresses)} tiles ({size_mb:.1f} MB) in {time.perf_counter() - t0:.1f} s", flush=True)
        base = stack.start_server(env=env, workers=args.workers)
        version_code = "import django; django.setup(); from mapping import tiles; print(tiles.loaded().version)"
        version = subprocess.run([sys.executable, "-c", version_code], cwd=ROOT, env=env, check=True,
                                 capture_output=True, text=True).stdout.strip()
        hammer(base, version, addresses, 2, args.clients, revalidate=False)  # warm up
        latencies, sizes, errors = hammer(base, version, addresses, args.seconds, args.clients, revalidate=False)
        revalidated, _sizes, errors_304 = hammer(base, version, addresses, args.seconds / 2, args.clients,
                                                 revalidate=True)

    rate = len(latencies) / args.seconds
    rate_304 = len(revalidated) / (args.seconds / 2)
    print(f"{args.clients} clients, {args.workers} web worker(s), {args.seconds:.0f} s")
    print(f"tiles: {len(latencies)} served, {rate:.0f}/s, {statistics.mean(sizes) / 1000:.1f} kB each on average")
    print(f"latency: p50 {percentile(latencies, .5):.1f} ms, p95 {percentile(latencies, .95):.1f} ms, "
          f"p99 {percentile(latencies, .99):.1f} ms")
    print(f"revalidation (If-None-Match -> 304): {rate_304:.0f}/s")
    print(f"errors: {len(errors) + len(errors_304)} {(errors + errors_304)[:3]}")
    print(json.dumps({"bench": "tiles", "workers": args.workers, "clients": args.clients, "tiles": len(addresses),
                      "tiles_per_s": round(rate, 1), "p50_ms": round(percentile(latencies, .5), 1),
                      "p95_ms": round(percentile(latencies, .95), 1), "p99_ms": round(percentile(latencies, .99), 1),
                      "not_modified_per_s": round(rate_304, 1), "errors": len(errors) + len(errors_304)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
