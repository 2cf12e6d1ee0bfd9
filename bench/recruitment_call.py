"""Bench: a recruitment call (募集のお知らせ) to 20,000 pre-registered volunteers, on PostgreSQL and Redis (no
worker: the mails stay queued in the broker, as they do while the worker works through them).

Three timings: the preview count (the page's 対象人数を確認する), the send as the web request does it (one
RecruitmentCall row and the count; the fan-out is queued after commit), and the fan-out task (the mails
written in batches of 500 with bulk INSERT, each handed to Celery after its batch commits). A second
fan-out of the same call must queue nothing.

    uv run python bench/recruitment_call.py [--volunteers 20000]

Last line: {"bench": "recruitment_call", "volunteers", "recipients", "preview_s", "send_request_s",
"fan_out_s", "rows_per_s", "queued", "queued_again"}.
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import Stack  # noqa: E402

CHILD = r"""
import json, sys, time
from datetime import timedelta
import django
django.setup()
from unittest import mock
from django.utils import timezone
from ops.centres.models import Base, Centre, Disaster
from ops.messages.models import OutboundMail
from ops.volunteers.models import Volunteer
from ops.volunteers.services import calls

count = int(sys.argv[1])
disaster = Disaster.objects.create(name="ベンチ豪雨", prefecture="長野県", started_on=timezone.localdate())
centre = Centre.objects.create(disaster=disaster, name="ベンチ市災害VC", slug="bench", municipality="ベンチ市",
                               prefecture="長野県", lat=36.65, lng=138.18, status="open", what_to_bring="長靴")
Base.objects.create(centre=centre, name="本部", kind="hq", lat=36.65, lng=138.18)
rows = [Volunteer(name=f"ボランティア {i}", kana=f"ボランティア {i}", phone=f"090{i:08d}", email=f"v{i}@example.jp",
                  age_band="30s", prefecture="長野県" if i % 10 else "新潟県", city="ベンチ市",
                  available_weekdays=[] if i % 3 else [5, 6], registered_centre=centre) for i in range(count)]
for row in rows:
    row.phone_normalised, row.kana_key = row.phone, row.kana
Volunteer.objects.bulk_create(rows, batch_size=2000)
days = [d for d in calls.bookable_days(centre) if d.weekday() >= 5][:2]

start = time.perf_counter()
reach = len(calls.recipients(centre, days))
preview = time.perf_counter() - start

with mock.patch("ops.volunteers.services.calls.start_fan_out"):  # timed on its own below
    start = time.perf_counter()
    call, created = calls.make_call(centre, days=days, message="週末の泥出しに人手が必要です。", by=None, nonce="bench")
    send = time.perf_counter() - start

start = time.perf_counter()
queued = calls.fan_out(call.pk)
fan_out = time.perf_counter() - start
again = calls.fan_out(call.pk)
assert OutboundMail.objects.filter(kind="recruitment_call").count() == queued == reach, (queued, reach)
print(json.dumps({"recipients": reach, "preview_s": round(preview, 2), "send_request_s": round(send, 2),
                  "fan_out_s": round(fan_out, 2), "rows_per_s": round(queued / fan_out), "queued": queued,
                  "queued_again": again}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=20000)
    args = parser.parse_args()
    with Stack(postgres=True, redis=True) as stack:
        env = stack.env(DEBUG="false", LOG_LEVEL="WARNING")
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        done = subprocess.run([sys.executable, "-c", CHILD, str(args.volunteers)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{args.volunteers} volunteers, {result['recipients']} reached (scope and weekdays)")
    print(f"  preview count: {result['preview_s']} s; the send request: {result['send_request_s']} s")
    print(f"  fan-out: {result['queued']} mails in {result['fan_out_s']} s ({result['rows_per_s']} rows/s); "
          f"run again: {result['queued_again']}")
    print(json.dumps({"bench": "recruitment_call", "volunteers": args.volunteers, **result}))


if __name__ == "__main__":
    main()
