"""Bench: the 受付スキャン desk (ops.desk) on PostgreSQL + Redis behind uvicorn.

1. dispatch: Debian's chromium on a phone-sized page with a fake camera (tests/desk/fakecam.py) showing a need's
   card QR, then four volunteers' personal QR; then the taps a coordinator makes after the scans (a leader, 送り出す).
   dispatch_s = seconds from the need's scan shown on the desk to the team sent (the four people are read in
   between, at the camera's pace: 0.6 s per code, 0.3 s between); dispatch_taps = taps after the scans.
2. race: `--desks` desks (separate browser sessions, over HTTP, in threads) scan overlapping people for their own
   needs and send at once, `--rounds` times. double_assigned = people two desks were told they sent, plus people
   whose team is not the one their desk sent (both must be 0).
3. lend_s: the tool desk's time from the first scan (the team's code) to the fifth tool lent (three numbered
   items, a bundle label of five, one kind label), bench/desk_tools.py's measure_lend.

    uv run python bench/desk.py [--desks 3] [--rounds 5]

Last line: {"bench": "desk", "team_size", "dispatch_s", "dispatch_taps", "lend_s", "desks", "double_assigned"}
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import Stack  # noqa: E402
from tests.desk import fakecam  # noqa: E402

SLUG = "bench-desk"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

SEED = r"""
import json, sys
from datetime import time
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone
from ops.centres.models import Centre, Disaster, Membership, Role
from ops.desk.codes import need_code
from ops.needs.models import Need, NeedStatus, WorkType
from ops.volunteers.models import Attendance, Volunteer

team_size, desks, rounds = (int(a) for a in sys.argv[1:4])
disaster = Disaster.objects.create(name="ベンチ豪雨", prefecture="長野県", started_on=timezone.localdate())
centre = Centre.objects.create(disaster=disaster, name="ベンチ市災害VC", slug="bench-desk", municipality="ベンチ市",
                               prefecture="長野県", lat=36.65, lng=138.18, status="open",
                               latest_return_time=time(23, 59, 59))
mud = WorkType.objects.get(code="mud")
serial = iter(range(1, 100000))

def need(people):
    n = next(serial)
    row = Need.objects.create(centre=centre, number=n, received_at=timezone.now(), requester_name=f"依頼者 {n}",
                              phone=f"090-{n:04d}-0000", address=f"ベンチ市中央{n}", status=NeedStatus.READY,
                              people_needed=people)
    row.work_types.add(mud)
    return need_code(row)

def person():
    n = next(serial)
    v = Volunteer.objects.create(name=f"ボランティア {n}", kana=f"ボランティア {n}", phone=f"080-{n:04d}-1111",
                                 age_band="30s", prefecture="長野県", city="ベンチ市", insurance="enrolled")
    a = Attendance.objects.create(centre=centre, volunteer=v, date=centre.today(), checked_in_at=timezone.now(),
                                  insurance_confirmed=True, health={"ok": True})
    return {"id": a.pk, "code": reverse("volunteers:personal", kwargs={"token": v.token})}

user = get_user_model().objects.create_user("bench-desk", password="bench-pass-not-secret")
Membership.objects.create(user=user, centre=centre, role=Role.COORDINATOR)

def session():
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key

out = {"phone": {"session": session(), "need": need(team_size), "people": [person() for _ in range(team_size)]},
       "sessions": [session() for _ in range(desks)],
       # each round: a need per desk and 2 people per desk, each desk wanting team_size of them (overlapping)
       "rounds": [{"needs": [need(team_size) for _ in range(desks)], "people": [person() for _ in range(2 * desks)]}
                  for _ in range(rounds)]}
# the tool desk's run (bench/desk_tools.py): a formed team of two and five tool labels
from bench.desk_tools import prepare_lend
from ops.dispatch.services import form_team
crew = [person() for _ in range(2)]
team = form_team(centre=centre, on=centre.today(), members=[c["id"] for c in crew], leader=crew[0]["id"])
_label, tool_codes = prepare_lend(centre, team)
out["lend"] = {"team": crew[0]["code"], "tools": tool_codes}  # the leader shows their phone's QR
print(json.dumps(out))
"""


def measure_dispatch(base: str, seeded: dict, tmp: Path) -> tuple[float, int]:
    """The phone desk with a fake camera: (seconds from the need's scan to the team sent, taps after the scans)."""
    from playwright.sync_api import sync_playwright

    phone = seeded["phone"]
    shots = [(None, 1.5), (phone["need"], 0.6)]
    for p in phone["people"]:
        shots += [(None, 0.3), (p["code"], 0.6)]
    video = fakecam.video(tmp / "desk.y4m", shots + [(None, 60)])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                     args=CHROMIUM_ARGS + fakecam.flags(video), headless=True)
        context = browser.new_context(viewport={"width": 360, "height": 640}, locale="ja-JP", is_mobile=True,
                                      has_touch=True)
        context.set_default_timeout(30000)
        context.add_cookies([{"name": "sessionid", "value": phone["session"], "url": base}])
        page = context.new_page()
        page.goto(f"{base}/c/{SLUG}/desk/")
        page.wait_for_selector("#desk-need:has-text('N-')")
        started = time.perf_counter()
        page.wait_for_selector(f"#desk-members li.desk-member:nth-child({len(phone['people'])})")
        taps = 0
        page.click("#desk-members li.desk-member:last-child .leader-btn")  # a leader other than the proposal's
        taps += 1
        page.wait_for_selector("#desk-members li.desk-member:last-child.is-leader")
        page.click("#desk-send")
        taps += 1
        page.wait_for_selector("#desk-sent:not([hidden]) svg")
        elapsed = time.perf_counter() - started
        browser.close()
    return elapsed, taps


class DeskClient:
    """One desk over HTTP: its own session cookie (its own desk key) and CSRF token."""

    def __init__(self, base: str, session: str):
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        host = base.split("://", 1)[1].split(":")[0]
        self.jar.set_cookie(http.cookiejar.Cookie(0, "sessionid", session, None, False, host, False, False, "/",
                                                  True, False, None, False, None, None, {}))
        self.opener.open(f"{base}/c/{SLUG}/desk/").read()  # the page sets the CSRF cookie
        self.csrf = next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, name: str, body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(f"{self.base}/c/{SLUG}/desk/{name}", json.dumps(body).encode(),
                                         {"Content-Type": "application/json", "X-CSRFToken": self.csrf,
                                          "Referer": self.base + "/"})
        try:
            with self.opener.open(request) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}")


def race(base: str, seeded: dict, team_size: int) -> tuple[int, int, list[str]]:
    """Every round: each desk scans its need and team_size people (overlapping the next desk's), then sends, all at
    once. Returns (double_assigned, teams sent, problems)."""
    desks = [DeskClient(base, s) for s in seeded["sessions"]]
    double, sent_total, problems = 0, 0, []
    for rnd in seeded["rounds"]:
        people, n = rnd["people"], len(desks)
        told: list[list[int]] = [[] for _ in desks]  # who each desk was told it sent
        barrier = threading.Barrier(n)

        def run(i, rnd=rnd, people=people, told=told, barrier=barrier):
            desk, shown = desks[i], []
            barrier.wait(timeout=30)
            desk.post("scan.json", {"code": rnd["needs"][i]})
            for k in range(team_size):
                status, answer = desk.post("scan.json", {"code": people[(2 * i + k) % len(people)]["code"]})
                if status >= 500:
                    problems.append(f"desk {i} scan: {status}")
                shown = [m["id"] for m in answer.get("state", {}).get("members", [])]
            status, _answer = desk.post("dispatch.json", {"members": shown})
            if status == 201:
                told[i] = shown
            elif status >= 500:
                problems.append(f"desk {i} send: {status}")

        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        ids = [pk for group in told for pk in group]
        double += len(ids) - len(set(ids)) + wrong_team(told)
        sent_total += sum(1 for group in told if group)
    return double, sent_total, problems


def wrong_team(told) -> int:
    """People whose team in the database is not the one of the desk that was told it sent them."""
    groups = [g for g in told if g]
    script = ("import json,sys,django; django.setup(); from ops.volunteers.models import Attendance; "
              "groups=json.loads(sys.argv[1]); "
              "print(sum(len(set(Attendance.objects.filter(pk__in=g).values_list('team_id', flat=True))) - 1 "
              "+ Attendance.objects.filter(pk__in=g, team__isnull=True).count() for g in groups))")
    out = subprocess.run([sys.executable, "-c", script, json.dumps(groups)], cwd=ROOT, env=ENV, check=True,
                         capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def lend_seconds(base: str, cookie: str, lend: dict, tmp: Path) -> float:
    """The 資機材デスク's figure (bench/desk_tools.py, measure_lend): seconds from the first scan (the team's code)
    to the fifth tool lent, on the same phone session."""
    from bench.desk_tools import measure_lend

    return measure_lend(base, SLUG, [("sessionid", cookie)], tmp, team_code=lend["team"], tool_codes=lend["tools"])


ENV: dict = {}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--team-size", type=int, default=4)
    parser.add_argument("--desks", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with Stack(postgres=True, redis=True) as stack, tempfile.TemporaryDirectory() as tmp:
        ENV.update(stack.env())
        subprocess.run([sys.executable, "scripts/vendor_js.py"], cwd=ROOT, check=True, capture_output=True)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=ENV, check=True)
        seeded = json.loads(subprocess.run(
            [sys.executable, "-c", SEED, str(args.team_size), str(args.desks), str(args.rounds)], cwd=ROOT, env=ENV,
            check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        base = stack.start_server(workers=2)
        dispatch_s, taps = measure_dispatch(base, seeded, Path(tmp))
        print(f"dispatch: {args.team_size} people sent {dispatch_s:.2f} s after the need's scan, {taps} taps",
              flush=True)
        double, sent, problems = race(base, seeded, args.team_size)
        print(f"race: {args.desks} desks x {args.rounds} rounds, {sent} teams sent, {double} double-assigned, "
              f"{len(problems)} server errors {problems[:3]}", flush=True)
        lend_s = round(lend_seconds(base, seeded["phone"]["session"], seeded["lend"], Path(tmp)), 2)
        print(f"lend: 5 tools lent {lend_s:.2f} s after the team's scan", flush=True)
    print(json.dumps({"bench": "desk", "team_size": args.team_size, "dispatch_s": round(dispatch_s, 2),
                      "dispatch_taps": taps, "lend_s": lend_s, "desks": args.desks,
                      "double_assigned": double + len(problems)}))
    return 0 if double == 0 and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
