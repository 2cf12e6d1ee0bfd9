"""Bench: a season's exports. Seeds one centre on a throwaway PostgreSQL (harness.Stack) with 6,300 needs (a
season's intake) and 20,000 attendances, then downloads the needs and the attendances as XLSX and as CSV
through the real view (role check, registry, audit, file on disk, streamed body read to the end), as the
administrator (every column). Prints seconds and peak memory (Python's allocations, tracemalloc, in a second
run) of each, and the file size.

    uv run python bench/exports.py [--needs 6300 --attendances 20000]

Last line: {"bench": "exports", "needs", "attendances", "<dataset>_<fmt>_s", "<dataset>_<fmt>_peak_mb", ...}
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import Stack  # noqa: E402

JST = ZoneInfo("Asia/Tokyo")
DISTRICTS = ["中央", "北町", "南町", "東町", "西町", "川端", "山手", "新田", "本郷", "栄町"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--needs", type=int, default=6300)
    p.add_argument("--attendances", type=int, default=20000)
    p.add_argument("--seed", type=int, default=7)
    return p.parse_args()


def seed(args, rnd):
    from ops.centres.models import Base, Centre, Disaster, Membership, Role
    from ops.needs.models import Need, WorkType
    from ops.volunteers.models import Attendance, Volunteer
    from tests.factories import ensure_work_types, make_user

    ensure_work_types()
    first = date(2026, 7, 1)
    disaster = Disaster.objects.create(name="令和8年7月豪雨", prefecture="長野県", started_on=first)
    centre = Centre.objects.create(disaster=disaster, name="ベンチ市災害ボランティアセンター", slug="bench",
                                   municipality="ベンチ市", prefecture="長野県", lat=36.65, lng=138.18,
                                   status=Centre.Status.OPEN, opened_on=first)
    Base.objects.create(centre=centre, name="本部", kind=Base.Kind.HQ, lat=36.65, lng=138.18)
    admin = make_user(username="bench-admin")
    Membership.objects.create(user=admin, centre=centre, role=Role.ADMIN)
    days = 120
    needs = [Need(centre=centre, number=n + 1, received_at=datetime.combine(first + timedelta(days=n % days),
                                                                            clock_time(9, n % 60), tzinfo=JST),
                  requester_name=f"住民 {n}", requester_kana="ジュウミン", phone=f"090-{n:04d}-0000",
                  address=f"ベンチ市{rnd.choice(DISTRICTS)}{n}-1", district=rnd.choice(DISTRICTS),
                  lat=36.65 + rnd.random() / 50, lng=138.18 + rnd.random() / 50,
                  description="床上浸水。家財の運び出しと泥出し。" * 3, hazards="ガラス片", notes="午前中希望",
                  household=["elderly_alone"] if n % 7 == 0 else [], status=rnd.choice(["completed", "ready", "new"]),
                  reference_token=f"bench-{n}")
             for n in range(args.needs)]
    Need.objects.bulk_create(needs, batch_size=2000)
    mud = WorkType.objects.get(code="mud")
    through = Need.work_types.through
    through.objects.bulk_create([through(need_id=n.pk, worktype_id=mud.pk) for n in Need.objects.filter(centre=centre)],
                                batch_size=5000)
    per_volunteer = 5
    volunteers = Volunteer.objects.bulk_create([
        Volunteer(name=f"ボランティア {i}", kana="ボランティア", phone=f"080-{i:04d}-1111", age_band="30s",
                  prefecture="長野県", city="長野市", insurance="enrolled", token=f"bench-v-{i}",
                  registered_centre=centre)
        for i in range(args.attendances // per_volunteer + 1)], batch_size=2000)
    rows = []
    for i in range(args.attendances):
        day = first + timedelta(days=(i // len(volunteers)) * 20 + (i % len(volunteers)) % 20)  # once a day each
        arrived = datetime.combine(day, clock_time(8, 30), tzinfo=JST)
        rows.append(Attendance(volunteer=volunteers[i % len(volunteers)], centre=centre, date=day,
                               checked_in_at=arrived, checked_out_at=arrived + timedelta(hours=6),
                               hours=6, insurance_confirmed=True, health={"no_fever": True}))
    Attendance.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return centre, admin


def download(centre, admin, dataset, fmt):
    from asgiref.sync import async_to_sync
    from django.test import RequestFactory

    from ops.exports import views

    request = RequestFactory().get(f"/c/{centre.slug}/exports/{dataset}/", {"format": fmt})
    request.user = admin
    response = views.download(request, centre=centre.slug, dataset=dataset)

    async def drain():  # as the ASGI server sends it
        return sum([len(chunk) async for chunk in response])

    size = async_to_sync(drain)()
    response.close()
    assert response.status_code == 200, response.status_code
    return size


def main() -> int:
    args = parse_args()
    rnd = random.Random(args.seed)
    with Stack(postgres=True, redis=True) as stack:
        env = stack.env()
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection

        from ops.volunteers.models import Attendance

        started = time.perf_counter()
        centre, admin = seed(args, rnd)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        attendances = Attendance.objects.filter(centre=centre).count()
        print(f"seeded {centre.needs.count()} needs, {attendances} attendances in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        result = {"bench": "exports", "needs": centre.needs.count(), "attendances": attendances}
        for dataset in ("needs", "attendances"):
            for fmt in ("xlsx", "csv"):
                download(centre, admin, dataset, fmt)  # warm: imports, query plans
                start = time.perf_counter()
                size = download(centre, admin, dataset, fmt)
                seconds = time.perf_counter() - start
                tracemalloc.start()
                download(centre, admin, dataset, fmt)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                print(f"{dataset} {fmt}: {seconds:.2f} s, peak {peak / 2**20:.1f} MB (Python allocations), "
                      f"file {size / 1024:.0f} kB", flush=True)
                result[f"{dataset}_{fmt}_s"] = round(seconds, 2)
                result[f"{dataset}_{fmt}_peak_mb"] = round(peak / 2**20, 1)
                result[f"{dataset}_{fmt}_kb"] = round(size / 1024)
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
