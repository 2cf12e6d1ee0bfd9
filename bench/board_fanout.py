"""Board fan-out: N websocket boards on a real uvicorn (2 workers) over PostgreSQL + Redis. For each of E
events, the time from the service call (ops.centres.services.set_recruitment: transaction, outbox row,
commit, publish) to the moment the LAST board received it; p50/p99 over the events. Baseline in the same run:
raw Redis pub/sub from one publisher to N redis.asyncio subscribers. Last line: one JSON object.

    uv run python bench/board_fanout.py [--clients 300] [--events 50] [--interval 0.2]
"""
import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


# --- the listening side (a child process, so the clients do not share a GIL with the publisher) -------------

async def listen_ws(url, origin, paths_and_cookies, expected):
    import websockets

    received = {}  # seq -> [count, last time]
    sockets = []
    for i in range(0, len(paths_and_cookies), 50):  # connect in batches: a burst of handshakes is not the test
        batch = paths_and_cookies[i:i + 50]
        sockets += await asyncio.gather(*(websockets.connect(
            url + path, additional_headers={"Origin": origin, **({"Cookie": c} if c else {})}, max_queue=None)
            for path, c in batch))
    print("READY", flush=True)

    async def read(ws):
        seen = 0
        try:
            while seen < expected:
                raw = await ws.recv()
                now = time.time()
                frame = json.loads(raw)
                if frame.get("kind") == "heartbeat":  # liveness, not an event
                    continue
                seq = frame["seq"]
                slot = received.setdefault(seq, [0, 0.0, now])
                slot[0] += 1
                slot[1] = max(slot[1], now)
                slot[2] = min(slot[2], now)
                seen += 1
        except websockets.exceptions.ConnectionClosed:
            pass

    await asyncio.wait([asyncio.create_task(read(ws)) for ws in sockets], timeout=expected * 2 + 30)
    for ws in sockets:
        await ws.close()
    return received


async def listen_redis(redis_url, n, expected):
    import redis.asyncio as aioredis

    received = {}
    clients = [aioredis.Redis.from_url(redis_url) for _ in range(n)]
    subs = [c.pubsub() for c in clients]
    for s in subs:
        await s.subscribe("bench.fanout")
    print("READY", flush=True)

    async def read(sub):
        seen = 0
        async for message in sub.listen():
            if message["type"] != "message":
                continue
            now = time.time()
            seq = json.loads(message["data"])["seq"]
            slot = received.setdefault(seq, [0, 0.0, now])
            slot[0] += 1
            slot[1] = max(slot[1], now)
            slot[2] = min(slot[2], now)
            seen += 1
            if seen >= expected:
                return

    await asyncio.wait([asyncio.create_task(read(s)) for s in subs], timeout=expected * 2 + 30)
    for s, c in zip(subs, clients, strict=True):
        await s.aclose()
        await c.aclose()
    return received


def listener_main(spec):
    if spec["kind"] == "ws":
        received = asyncio.run(listen_ws(spec["url"], spec["origin"], spec["targets"], spec["expected"]))
    else:
        received = asyncio.run(listen_redis(spec["redis_url"], spec["n"], spec["expected"]))
    print(json.dumps({str(k): v for k, v in received.items()}), flush=True)


def start_listener(spec, env):
    proc = subprocess.Popen([sys.executable, __file__, "--listener"], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    proc.stdin.write(json.dumps(spec))
    proc.stdin.close()
    line = proc.stdout.readline()
    if line.strip() != "READY":
        raise RuntimeError(f"listener failed to start: {line!r}")
    return proc


def collect(proc, sent, clients, name):
    out = proc.stdout.read()
    proc.wait(timeout=600)
    received = json.loads(out.strip().splitlines()[-1])
    latencies, firsts, missed = [], [], 0
    for seq, t0 in sent.items():
        count, last, first = received.get(str(seq), [0, 0.0, 0.0])
        missed += clients - count
        if count:
            latencies.append((last - t0) * 1000)
            firsts.append((first - t0) * 1000)
    if firsts:
        print(f"{name}: first receiver after p50 {percentile(firsts, 50):.1f} ms", flush=True)
    return latencies, missed


# --- the measuring side ---------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between events")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--layer", choices=["settings", "pubsub"], default="settings",
                        help="channel layer: the project's settings, or channels-redis pub/sub (for comparison)")
    args = parser.parse_args()

    from harness import Stack

    with Stack(postgres=True, redis=True) as stack:
        if args.layer == "pubsub":
            stack.extra_env["DJANGO_SETTINGS_MODULE"] = "bench.board_layer_pubsub"
        env = stack.env()
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        os.environ.update(env)
        import django

        django.setup()
        from django.test import Client

        from ops.centres import services
        from ops.centres.models import Role
        from tests import factories

        centre = factories.make_centre(slug="bench")
        client = Client()
        client.force_login(factories.make_user(Role.VIEWER, centre))
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        url = stack.start_server(workers=args.workers)
        print(f"server {url} (workers={args.workers}, layer {args.layer}), clients {args.clients}, "
              f"events {args.events}", flush=True)

        # Half the boards are staff boards, half public: every event goes to both groups.
        targets = [(f"/ws/c/{centre.slug}/board/", cookie) if i % 2 else (f"/ws/p/{centre.slug}/board/", None)
                   for i in range(args.clients)]
        total = args.warmup + args.events
        board = start_listener({"kind": "ws", "url": url.replace("http://", "ws://"), "origin": url,
                                "targets": targets, "expected": total}, env)
        sent = {}
        for i in range(total):
            t0 = time.time()
            services.set_recruitment(centre, status="recruiting", scope="prefecture", capacity=100 + i % 2)
            if i >= args.warmup:
                sent[centre.events.order_by("-seq").values_list("seq", flat=True).first()] = t0
            time.sleep(args.interval)
        board_ms, board_missed = collect(board, sent, args.clients, "board")

        import redis

        raw = redis.Redis.from_url(stack.redis_url)
        baseline = start_listener({"kind": "redis", "redis_url": stack.redis_url, "n": args.clients,
                                   "expected": total}, env)
        raw_sent = {}
        for i in range(total):
            t0 = time.time()
            raw.publish("bench.fanout", json.dumps({"seq": i + 1, "kind": "centre.changed", "data": {"n": i}}))
            if i >= args.warmup:
                raw_sent[i + 1] = t0
            time.sleep(args.interval)
        raw_ms, raw_missed = collect(baseline, raw_sent, args.clients, "baseline")

    p50, p99 = percentile(board_ms, 50), percentile(board_ms, 99)
    b50, b99 = percentile(raw_ms, 50), percentile(raw_ms, 99)
    print(f"board:    p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  mean {statistics.fmean(board_ms or [0]):.1f} ms  "
          f"missed {board_missed}")
    print(f"baseline: p50 {b50:7.1f} ms  p99 {b99:7.1f} ms  (raw Redis pub/sub, missed {raw_missed})")
    print(json.dumps({"bench": "board_fanout", "clients": args.clients, "p50_ms": round(p50, 1),
                      "p99_ms": round(p99, 1), "baseline_p99_ms": round(b99, 1),
                      "ratio": round(p99 / b99, 2) if b99 else None, "missed": board_missed}))


if __name__ == "__main__":
    if sys.argv[1:] == ["--listener"]:
        listener_main(json.load(sys.stdin))
    else:
        main()
