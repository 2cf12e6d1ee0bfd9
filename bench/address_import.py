"""Bench: the offline address search (mapping.addresses) on PostgreSQL: import a generated 位置参照情報 街区レベル
file in the official layout (quoted cp932 CSV in a zip, as the download service gives it) of N rows through the
importer (streamed, COPY), import it again (each municipality replaced), then time searches typed in the usual
spellings (block hits with and without the municipality, town only, city only, misses).

The file is written by a process of its own; the import and the searches run in a child process on its own PostgreSQL
(harness.Stack), so the child's peak memory (ru_maxrss) is the import's, next to what Django alone takes.

    uv run python bench/address_import.py [--rows 100000] [--searches 600]

Last line: {"bench": "address_import", "rows", "file_bytes", "import_s", "rows_per_s", "reimport_s", "peak_mb",
            "import_grew_mb", "searches", "search_p50_ms", "search_p95_ms", "block_hits"}
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import Stack  # noqa: E402

CITIES = ["青葉市", "緑川市", "北安曇郡白波村", "桜台市", "松原市", "東山市", "若葉町", "高原市", "川口市", "本郷市"]
NAMES = ["中央", "川端町", "若宮", "新田", "北堤", "柳原", "桜ヶ丘", "本町", "栄町", "旭町", "緑町", "泉", "東", "西",
         "南", "北", "大字上野", "大字下野", "三ノ輪", "八幡"]
KANJI = "〇一二三四五六七八九"
TOWNS = [(city, name, chome) for city in CITIES for name in NAMES for chome in range(1, 6)]

CHILD = r"""
import json, random, resource, statistics, sys, time
import django
django.setup()
from mapping.addresses import geocode
from mapping.addresses.importer import import_path

path, searches, home = sys.argv[1], int(sys.argv[2]), sys.argv[3]
queries = json.loads(sys.stdin.read())
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
done = import_path(path)
import_s = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
import_path(path)
reimport_s = time.perf_counter() - started
times, levels = [], []
for text in queries:
    started = time.perf_counter()
    answer = geocode(text, home_city=home)
    times.append((time.perf_counter() - started) * 1000)
    levels.append(answer["results"][0]["level"] if answer["results"] else "none")
times.sort()
print(json.dumps({"rows": sum(d.rows for d in done), "import_s": round(import_s, 2), "reimport_s": round(reimport_s, 2),
                  "peak_mb": round(peak / 1024, 1), "grew_mb": round((peak - base) / 1024, 1),
                  "search_p50_ms": round(statistics.median(times), 2),
                  "search_p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
                  "levels": {level: levels.count(level) for level in sorted(set(levels))}}))
"""


def write_file(path: Path, rows: int) -> list[tuple[str, str, int, int]]:
    """The zip, and the (city, name, chome, blocks) of each town in it."""
    rng = random.Random(20)
    per_town = max(1, -(-rows // len(TOWNS)))
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings_test")
    import django

    django.setup()
    from mapping.addresses.importer import BLOCK_COLUMNS

    writer.writerow(BLOCK_COLUMNS)
    written, loaded = 0, []
    for city, name, chome in TOWNS:
        blocks = min(per_town, rows - written)
        if blocks <= 0:
            break
        for block in range(1, blocks + 1):
            writer.writerow(["長野県", city, f"{name}{KANJI[chome]}丁目", "", str(block), "8", "-12345.6", "34567.8",
                             f"{36 + rng.random():.6f}", f"{138 + rng.random():.6f}", "1", "1", "0", "0"])
        written += blocks
        loaded.append((city, name, chome, blocks))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("20_2022.csv", out.getvalue().encode("cp932"))
    return loaded


def queries(loaded, count: int) -> list[str]:
    rng = random.Random(21)
    out = []
    for i in range(count):
        city, name, chome, blocks = rng.choice(loaded)
        block, go = rng.randint(1, blocks), rng.randint(1, 20)
        stem = name.removeprefix("大字")
        out.append([f"長野県{city}{name}{KANJI[chome]}丁目{block}番{go}号", f"{city}{stem}{chome}-{block}-{go}",
                    f"{stem}{chome}丁目{block}-{go}", f"{city}{stem}{chome}丁目", f"{city}どこにもない町1-2",
                    f"どこにもない村{block}"][i % 6])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=600)
    parser.add_argument("--write-to", help=argparse.SUPPRESS)  # the file is written by a child process of its own
    args = parser.parse_args()
    if args.write_to:
        print(json.dumps(write_file(Path(args.write_to), args.rows)))
        return
    folder = Path(tempfile.mkdtemp(prefix="address-bench-"))
    path = folder / "20000-21.0a.zip"
    # Written in another process: Linux keeps a process's peak memory across fork and exec, so a file built in
    # this one would count against the import child's peak.
    written = subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--write-to", str(path)],
                             cwd=ROOT, capture_output=True, text=True, check=True, timeout=3600)
    loaded = [tuple(town) for town in json.loads(written.stdout)]
    file_bytes = path.stat().st_size
    typed = queries(loaded, args.searches)
    with Stack(postgres=True, redis=False) as stack:
        env = stack.env(GEOCODER_ONLINE_URL="")
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(args.searches), CITIES[0]], cwd=ROOT,
                              env=env, input=json.dumps(typed), capture_output=True, text=True, timeout=3600,
                              check=False)
    path.unlink()
    folder.rmdir()
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    rows_per_s = round(result["rows"] / result["import_s"]) if result["import_s"] else None
    print(f"file: {result['rows']:,} rows in {len(loaded)} towns of {len({t[0] for t in loaded})} municipalities")
    print(f"import: {result['import_s']} s ({rows_per_s:,} rows/s); peak memory {result['peak_mb']} MB, of which the "
          f"import grew {result['grew_mb']} MB; again (replacing each municipality): {result['reimport_s']} s")
    print(f"search: {args.searches} searches, p50 {result['search_p50_ms']} ms, p95 {result['search_p95_ms']} ms; "
          f"best answer's level: {result['levels']}")
    print(json.dumps({"bench": "address_import", "rows": result["rows"], "file_bytes": file_bytes,
                      "import_s": result["import_s"], "rows_per_s": rows_per_s, "reimport_s": result["reimport_s"],
                      "peak_mb": result["peak_mb"], "import_grew_mb": result["grew_mb"], "searches": args.searches,
                      "search_p50_ms": result["search_p50_ms"], "search_p95_ms": result["search_p95_ms"],
                      "block_hits": result["levels"].get("block", 0)}))


if __name__ == "__main__":
    main()
