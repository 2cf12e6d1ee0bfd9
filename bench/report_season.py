"""Bench: the daily report over a whole season.

Seeds one centre with a season (default 120 days, 2,000 volunteers a day, 20,000 needs, 60,000 dispatches)
on a throwaway PostgreSQL (harness.Stack), then times `daily_figures` for day 10 and for the last day, and the
full report build (figures + trend + chart + HTML + PDF + XLSX, without mail). Targets: figures ≤ 1 s, full
report ≤ 10 s, and day 120 not much slower than day 10.

    uv run python bench/report_season.py [--days 120 --per-day 2000 --needs 20000 --dispatches 60000]

Last line: {"bench": "report_season", "days", "figures_s_day10", "figures_s_day120", "full_report_s", ...}
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time as clock
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import Stack  # noqa: E402

JST = ZoneInfo("Asia/Tokyo")
DISTRICTS = ["中央", "北町", "南町", "東町", "西町", "川端", "山手", "新田", "本郷", "栄町", "緑ヶ丘", "旭町",
             "駅前", "河原", "上町"]
CITIES_IN_PREF = ["長野市", "松本市", "上田市", "飯田市", "諏訪市", "佐久市"]
OTHER = [("新潟県", "新潟市"), ("東京都", "世田谷区"), ("群馬県", "前橋市"), ("富山県", "富山市"), ("愛知県", "名古屋市")]
BATCH = 5000


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--days", type=int, default=120)
    p.add_argument("--per-day", type=int, default=2000, help="volunteers checked in per day")
    p.add_argument("--needs", type=int, default=20000)
    p.add_argument("--dispatches", type=int, default=60000)
    p.add_argument("--pool", type=int, default=0, help="distinct volunteers (default: 20 × per-day)")
    p.add_argument("--repeat", type=int, default=3, help="timed runs of daily_figures (median is reported)")
    p.add_argument("--seed", type=int, default=7)
    return p.parse_args()


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=JST)


def seed_season(args, rnd: random.Random):
    """Everything through bulk_create (the apps' own defaults apply), timestamps set as the season had them."""
    from ops.centres.models import Base, Centre, Disaster
    from ops.dispatch.models import Dispatch, EquipmentKind, EquipmentLoan, ReturnReport, Team
    from ops.needs.models import Need, NeedStatusChange, WorkType
    from ops.volunteers.models import Attendance, Group, Volunteer

    # bulk_create would stamp "now" on auto_now_add fields: the season's own times are what is measured.
    for model, name in ((NeedStatusChange, "at"), (EquipmentLoan, "lent_at"), (ReturnReport, "filed_at")):
        model._meta.get_field(name).auto_now_add = False

    first = date(2026, 7, 1)
    days = [first + timedelta(days=i) for i in range(args.days)]
    disaster = Disaster.objects.create(name="令和8年7月豪雨", prefecture="長野県", started_on=first)
    centre = Centre.objects.create(disaster=disaster, name="ベンチ市災害ボランティアセンター", slug="bench",
                                   municipality="ベンチ市", prefecture="長野県", lat=36.65, lng=138.18,
                                   status=Centre.Status.OPEN, opened_on=first)
    bases = [Base.objects.create(centre=centre, name="本部", kind=Base.Kind.HQ, lat=36.65, lng=138.18)]
    bases += [Base.objects.create(centre=centre, name=f"サテライト{i}", lat=36.66, lng=138.19) for i in (1, 2)]
    base_choices = [None, *bases]

    groups = Group.objects.bulk_create([Group(name=f"団体{i}", leader_name="代表", phone="090-0000-0000",
                                              member_count=10) for i in range(300)])
    pool = args.pool or args.per_day * 20
    volunteers = []
    for i in range(pool):
        r = rnd.random()
        pref, city = ("長野県", "ベンチ市") if r < .4 else ("長野県", rnd.choice(CITIES_IN_PREF)) if r < .75 \
            else rnd.choice(OTHER)
        volunteers.append(Volunteer(name=f"ボランティア{i}", kana="ボランティア", age_band="30s", prefecture=pref,
                                    city=city, group=rnd.choice(groups) if rnd.random() < .2 else None))
    volunteers = Volunteer.objects.bulk_create(volunteers, batch_size=BATCH)
    print(f"  volunteers: {len(volunteers)}", flush=True)

    rows = []
    for day in days:
        for v in rnd.sample(volunteers, min(args.per_day, len(volunteers))):
            rows.append(Attendance(volunteer=v, centre=centre, date=day, checked_in_at=at(day, 8, rnd.randint(0, 59)),
                                   base=rnd.choice(base_choices),
                                   hours=None if rnd.random() < .1 else Decimal(rnd.choice(["4.00", "5.50", "6.00"]))))
        if len(rows) >= 50000:
            Attendance.objects.bulk_create(rows, batch_size=BATCH)
            rows = []
    Attendance.objects.bulk_create(rows, batch_size=BATCH)
    print(f"  attendances: {args.days * args.per_day}", flush=True)

    # Needs: spread over the season, a little more in the first weeks.
    work_types = list(WorkType.objects.all())
    needs = []
    for i in range(args.needs):
        index = min(int(rnd.triangular(0, args.days, 0)), args.days - 1)
        received = at(days[index], rnd.randint(8, 16), rnd.randint(0, 59))
        needs.append(Need(centre=centre, number=i + 1, received_at=received, requester_name="依頼者",
                          address="ベンチ市", district=rnd.choice(DISTRICTS), base=rnd.choice(base_choices),
                          status="new"))
    needs = Need.objects.bulk_create(needs, batch_size=BATCH)
    through = Need.work_types.through
    through.objects.bulk_create([through(need_id=n.pk, worktype_id=wt.pk) for n in needs
                                 for wt in rnd.sample(work_types, rnd.choice([1, 1, 2]))], batch_size=BATCH)
    print(f"  needs: {len(needs)}", flush=True)

    # Dispatch plans: most needs get a few visits on consecutive days after intake, until the budget is spent.
    plans, budget = [], args.dispatches
    for need in rnd.sample(needs, len(needs)):
        if budget <= 0 or rnd.random() < .12:
            plans.append((need, []))
            continue
        start = days.index(need.received_at.astimezone(JST).date()) + 1
        visits = [d for d in range(start, start + rnd.choice([2, 3, 3, 4, 4, 5])) if d < args.days][:budget]
        budget -= len(visits)
        plans.append((need, visits))

    history, final_status = [], {}
    by_day: dict[int, list] = {}
    for need, visits in plans:
        received = need.received_at
        history.append(NeedStatusChange(need=need, from_status="new", to_status="ready", at=received + timedelta(hours=2)))
        if not visits:
            final = rnd.choice(["ready", "ready", "on_hold", "cancelled"])
            if final != "ready":
                history.append(NeedStatusChange(need=need, from_status="ready", to_status=final,
                                                at=received + timedelta(hours=3)))
            final_status[need.pk] = final
            continue
        status = "ready"
        for n, d in enumerate(visits):
            day = days[d]
            by_day.setdefault(d, []).append(need)
            history.append(NeedStatusChange(need=need, from_status=status, to_status="assigned", at=at(day, 9)))
            history.append(NeedStatusChange(need=need, from_status="assigned", to_status="in_progress",
                                            at=at(day, 9, 30)))
            last = n == len(visits) - 1
            status = "completed" if last and rnd.random() < .85 else "continuing"
            history.append(NeedStatusChange(need=need, from_status="in_progress", to_status=status, at=at(day, 15)))
        final_status[need.pk] = status
    NeedStatusChange.objects.bulk_create(history, batch_size=BATCH)
    for status in {"ready", "on_hold", "cancelled", "continuing", "completed"}:
        ids = [pk for pk, s in final_status.items() if s == status]
        for i in range(0, len(ids), BATCH):
            Need.objects.filter(pk__in=ids[i:i + BATCH]).update(status=status)
    print(f"  status changes: {len(history)}", flush=True)

    kinds = [EquipmentKind.objects.create(centre=centre, name=n, total=200)
             for n in ("スコップ", "一輪車", "土のう袋", "高圧洗浄機", "バール")]
    teams, dispatches, reports, loans = [], [], [], []
    for d, day_needs in sorted(by_day.items()):
        day = days[d]
        day_teams = [Team(centre=centre, date=day, number=i + 1, base=rnd.choice(base_choices), status="returned")
                     for i in range((len(day_needs) + 1) // 2)]
        teams.extend(day_teams)
        for i, need in enumerate(day_needs):
            dispatches.append((day_teams[i // 2], need, day, d == args.days - 1 and i % 2 == 1))
    Team.objects.bulk_create(teams, batch_size=BATCH)
    objects = [Dispatch(centre=centre, team=team, need=need, date=day, people=rnd.randint(3, 8),
                        status="active" if active else "returned", dispatched_at=at(day, 9),
                        expected_return_at=at(day, 15), returned_at=None if active else at(day, 15))
               for team, need, day, active in dispatches]
    objects = Dispatch.objects.bulk_create(objects, batch_size=BATCH)
    for obj in objects:
        if obj.status == "returned":
            reports.append(ReturnReport(dispatch=obj, outcome="completed", people=obj.people,
                                        hours=Decimal(rnd.choice(["3.00", "4.50", "5.00"])),
                                        injuries=1 if rnd.random() < .003 else 0,
                                        heat_illness=1 if rnd.random() < .01 else 0,
                                        near_miss="足元注意" if rnd.random() < .02 else "", filed_at=at(obj.date, 15)))
    ReturnReport.objects.bulk_create(reports, batch_size=BATCH)
    for team in teams:
        if rnd.random() < .5:
            q = rnd.randint(1, 5)
            back = q if team.date < days[-1] or rnd.random() < .5 else 0
            loans.append(EquipmentLoan(kind=rnd.choice(kinds), team=team, quantity=q, returned_quantity=back,
                                       lent_at=at(team.date, 8, 30),
                                       returned_at=at(team.date, 16) if back else None))
    EquipmentLoan.objects.bulk_create(loans, batch_size=BATCH)
    print(f"  teams: {len(teams)}, dispatches: {len(objects)}, return reports: {len(reports)}, loans: {len(loans)}",
          flush=True)
    return centre, days


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = clock.perf_counter()
        result = fn()
        times.append(clock.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    args = parse_args()
    rnd = random.Random(args.seed)
    with Stack(postgres=True, redis=True) as stack:
        env = stack.env()
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        os.environ.update(env)
        os.environ["MEDIA_ROOT"] = str(stack.dir / "media")
        import django

        django.setup()
        import logging

        from django.db import connection

        for noisy in ("weasyprint", "fontTools", "matplotlib"):
            logging.getLogger(noisy).setLevel(logging.WARNING)

        from ops.reports import building
        from ops.reports.figures import daily_figures

        started = clock.perf_counter()
        print(f"seeding {args.days} days ...", flush=True)
        centre, days = seed_season(args, rnd)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        seed_s = clock.perf_counter() - started
        print(f"seeded in {seed_s:.1f} s", flush=True)

        day10, last = days[min(9, len(days) - 1)], days[-1]
        f10_s, f10 = timed(lambda: daily_figures(centre, day10), args.repeat)
        f_last_s, f_last = timed(lambda: daily_figures(centre, last), args.repeat)
        full_s, report = timed(lambda: building.build_daily_report(centre_id=centre.pk, day=last), 2)
        sizes = {kind: getattr(report, kind).size for kind in ("html", "pdf", "xlsx", "chart")}

        print(f"day 10 ({day10}): figures {f10_s:.3f} s — volunteers today {f10['volunteers']['today']['total']}, "
              f"cumulative {f10['volunteers']['cumulative']['total']}, needs {f10['needs']['cumulative']['received']}")
        print(f"day {len(days)} ({last}): figures {f_last_s:.3f} s — volunteers cumulative "
              f"{f_last['volunteers']['cumulative']['total']}, needs {f_last['needs']['cumulative']['received']}, "
              f"dispatches {f_last['dispatches']['cumulative']['count']}")
        print(f"full report (figures + trend + chart + HTML + PDF + XLSX): {full_s:.3f} s, files {sizes}")
        targets_met = f10_s <= 1 and f_last_s <= 1 and full_s <= 10
        print(json.dumps({"bench": "report_season", "days": len(days), "figures_s_day10": round(f10_s, 3),
                          "figures_s_day120": round(f_last_s, 3), "full_report_s": round(full_s, 3),
                          "seed_s": round(seed_s, 1), "volunteers_per_day": args.per_day, "needs": args.needs,
                          "dispatches": f_last["dispatches"]["cumulative"]["count"], "targets_met": targets_met},
                         ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
