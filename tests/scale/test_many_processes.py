# ruff: noqa: F811  (the fixture imported from conftest_scale is the tests' argument)
"""Many processes on one PostgreSQL and one Redis (tests/scale/conftest_scale.py: two web processes, two
workers, one beat): a board on one web process hears what the other did, the same volunteer at both web
processes at once is checked in once, an allocation sent to both workers and fired by the beat at once gives
each place once, and each outcome mail reaches the mail server once."""
import asyncio
import json
import time
from collections import Counter
from datetime import timedelta

import pytest
import websockets
from django.db.models import F
from django.utils import timezone

from ops.centres.models import AuditEntry, Event, Role
from ops.messages.models import OutboundMail
from ops.prefecture.models import Application, Offering
from ops.prefecture.services.offerings import apply, open_offering
from ops.volunteers import codes
from ops.volunteers.models import Attendance, Booking
from ops.volunteers.rules import HEALTH_ITEMS
from tests import factories
from tests.scale.conftest_scale import (  # noqa: F401 (scaled is a fixture)
    get_json,
    log_of,
    message_ids,
    post_json,
    scaled,
    session_cookie,
    together,
    ws_url,
)
from tests.smtp import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CHECK_IN = "/api/v1/volunteer/check-in/"
ALLOCATE = "ops.prefecture.tasks.allocate_offering"
MAIL_OUTCOMES = "ops.prefecture.tasks.mail_offering_outcomes"


def check_in_body(centre) -> dict:
    return {"centre": centre.slug, "code": codes.daily_code(centre, centre.today()),
            "health": {key: True for key, _label in HEALTH_ITEMS}, "insurance_confirmed": True}


def check_in(web, centre, volunteer):
    return post_json(web + CHECK_IN, check_in_body(centre), {"Authorization": f"Volunteer {volunteer.token}"})


def run_async(coro):
    return asyncio.run(coro)


async def listen(ws, until, timeout=20.0):
    """The socket's messages (heartbeats left out) until `until(messages)` or the timeout."""
    messages = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not until(messages) and loop.time() < deadline:
        try:
            raw = await asyncio.wait_for(ws.recv(), timeout=min(0.5, max(0.01, deadline - loop.time())))
        except TimeoutError:
            continue
        message = json.loads(raw)
        if message.get("kind") != "heartbeat":
            messages.append(message)
    return messages


# --- 1. a board on one web process hears the other ------------------------------------------------------------

def test_a_board_on_either_web_process_gets_the_check_ins_made_through_the_other_in_order(scaled):
    web_a, web_b = scaled["webs"]
    centre = factories.make_centre()
    cookie = session_cookie(factories.make_user(Role.COORDINATOR, centre))
    volunteers = [factories.make_volunteer() for _ in range(6)]
    through = [web_b, web_a] * 3  # alternately: what a board on A sees was done on B, and the reverse

    async def scenario():
        boards = {}
        for name, web in (("A", web_a), ("B", web_b)):
            boards[name] = await websockets.connect(ws_url(web, f"/ws/c/{centre.slug}/board/"), open_timeout=10,
                                                    additional_headers={"Cookie": cookie, "Origin": web})
        start = {name: (await asyncio.to_thread(get_json, f"{web}/c/{centre.slug}/board/snapshot.json", cookie))["seq"]
                 for name, web in (("A", web_a), ("B", web_b))}
        answers = []
        for web, volunteer in zip(through, volunteers, strict=True):
            answers.append(await asyncio.to_thread(check_in, web, centre, volunteer))
        heard = {name: await listen(ws, lambda m: len(m) >= len(volunteers)) for name, ws in boards.items()}
        extra = {name: await listen(ws, lambda m: False, timeout=1.0) for name, ws in boards.items()}
        for ws in boards.values():
            await ws.close()
        return start, answers, heard, extra

    start, answers, heard, extra = run_async(scenario())

    assert [status for status, _body in answers] == [201] * len(volunteers), answers
    attendance_ids = [body["id"] for _status, body in answers]
    for name in ("A", "B"):
        messages = heard[name]
        assert [m["kind"] for m in messages] == ["attendance.checked_in"] * len(volunteers), (name, messages)
        # Gap-free and in the order the check-ins were made, whichever web process made them.
        assert [m["seq"] for m in messages] == list(range(start[name] + 1, start[name] + 1 + len(volunteers)))
        assert [m["data"]["attendance"]["id"] for m in messages] == attendance_ids
        assert extra[name] == [], (name, extra[name])  # each event once, not once per web process
    assert start["A"] == start["B"] == 0


# --- 2. the same volunteer at both web processes at once ------------------------------------------------------

def test_the_same_volunteer_checking_in_through_both_web_processes_at_once_is_one_attendance(scaled):
    web_a, web_b = scaled["webs"]
    centre = factories.make_centre()
    volunteers = [factories.make_volunteer() for _ in range(20)]
    before = [get_json(f"{web}/p/{centre.slug}/board.json")["counters"]["volunteers_today"] for web in (web_a, web_b)]

    async def scenario():
        public = await websockets.connect(ws_url(web_b, f"/ws/p/{centre.slug}/board/"), open_timeout=10,
                                          additional_headers={"Origin": web_b})
        rounds = []
        for volunteer in volunteers:
            rounds.append(await asyncio.to_thread(together, [lambda v=volunteer: check_in(web_a, centre, v),
                                                             lambda v=volunteer: check_in(web_b, centre, v)]))
        heard = await listen(public, lambda m: len(m) >= len(volunteers))
        heard += await listen(public, lambda m: False, timeout=1.0)  # anything more would be a double count
        await public.close()
        return rounds, heard

    rounds, heard = run_async(scenario())

    for volunteer, answers in zip(volunteers, rounds, strict=True):
        assert [error for _result, error in answers] == [None, None], answers
        statuses = sorted(result[0] for result, _error in answers)
        assert statuses == [200, 201], (volunteer.pk, answers)  # both succeed; one made it, one found it
        ids = {result[1]["id"] for result, _error in answers}
        assert len(ids) == 1, answers
        assert Attendance.objects.filter(volunteer=volunteer, centre=centre).count() == 1
    assert Attendance.objects.filter(centre=centre).count() == len(volunteers)
    after = [get_json(f"{web}/p/{centre.slug}/board.json")["counters"]["volunteers_today"] for web in (web_a, web_b)]
    assert [a - b for a, b in zip(after, before, strict=True)] == [len(volunteers)] * 2
    # The public board moved by one per volunteer, never twice: one event each.
    assert [m["data"] for m in heard] == [{"volunteers_today": 1}] * len(volunteers), heard
    assert Event.objects.filter(centre=centre, kind="attendance.checked_in").count() == len(volunteers)


# --- 3 and 4. an allocation run by both workers and the beat at once, and its mails ---------------------------

PLACES, APPLICANTS = 20, 60
WORKERS = ("worker1", "worker2")


def race_allocation(scaled, tag: str):
    """60 applicants for 20 places; then the deadline passes (the beat's tick allocates) while the allocation
    and the outcome mails are sent to both workers at once. Returns (offering, the two allocations' results)."""
    centre = factories.make_centre(daily_capacity=100)
    day = centre.today() + timedelta(days=1)
    offering = open_offering(centre, on=day, places_n=PLACES, method=Offering.Method.DRAW)
    for i in range(APPLICANTS):
        apply(factories.make_volunteer(email=f"{tag}{i}@example.jp"), offering)
    beat_sent = log_of(scaled, "beat").count("Sending due task prefecture-tick")
    producer = scaled["producer"]
    Offering.objects.filter(pk=offering.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    # One to each worker's own queue (the harness gives each one beside the default queue the beat sends to).
    sent = [producer.send_task(ALLOCATE, args=[offering.pk], queue=worker) for worker in WORKERS]
    sent += [producer.send_task(MAIL_OUTCOMES, args=[offering.pk], queue=worker) for worker in WORKERS]
    results = [r.get(timeout=60) for r in sent[:2]]
    for r in sent[2:]:
        r.get(timeout=60)
    assert wait_until(lambda: log_of(scaled, "beat").count("Sending due task prefecture-tick") > beat_sent,
                      timeout=30), "the beat did not send its tick while the allocation ran"
    return offering, results


def test_an_allocation_sent_to_both_workers_and_the_beat_at_once_gives_each_place_once(scaled):
    offering, results = race_allocation(scaled, "alloc")

    for result in results:  # the same answer from both: one did it (or the beat's tick), the other found it done
        assert (result["allocated"], result["waiting"]) == (PLACES, APPLICANTS - PLACES), results
    assert sum(not r["already"] for r in results) <= 1, results
    # Both workers ran an allocation: a race between processes, not one worker taking turns.
    for worker in WORKERS:
        assert f"{ALLOCATE}[" in log_of(scaled, worker), f"{worker} took no allocation"
    offering.refresh_from_db()
    assert offering.status == Offering.Status.ALLOCATED
    apps = Application.objects.filter(offering=offering)
    assert Counter(apps.values_list("status", flat=True)) == {"allocated": PLACES, "waiting": APPLICANTS - PLACES}
    assert sorted(apps.values_list("rank", flat=True)) == list(range(1, APPLICANTS + 1))
    bookings = Booking.objects.filter(centre=offering.centre, date=offering.date)
    assert bookings.count() == PLACES and not bookings.filter(cancelled_at__isnull=False).exists()
    assert len(set(bookings.values_list("volunteer_id", flat=True))) == PLACES  # nobody booked twice
    allocated = apps.filter(status="allocated")
    assert set(allocated.values_list("booking_id", flat=True)) == set(bookings.values_list("pk", flat=True))
    assert set(allocated.values_list("volunteer_id", flat=True)) == set(bookings.values_list("volunteer_id",
                                                                                              flat=True))
    # Allocated once: one audit row, one event.
    assert AuditEntry.objects.filter(action="prefecture.allocate", object_id=str(offering.pk)).count() == 1
    assert Event.objects.filter(centre=offering.centre, kind="places.allocated").count() == 1
    # Its mails delivered before the test's end: the teardown's TRUNCATE must not meet a worker's row locks.
    assert wait_until(lambda: OutboundMail.objects.filter(triggered_by=f"offering:{offering.pk}",
                                                          state=OutboundMail.State.SENT).count() == APPLICANTS)


def test_each_outcome_mail_of_a_raced_allocation_reaches_the_mail_server_once(scaled):
    offering, _results = race_allocation(scaled, "mail")
    recipients = {f"mail{i}@example.jp" for i in range(APPLICANTS)}

    def ours():
        return [e for e in scaled["inbox"].envelopes if set(e.rcpt_tos) & recipients]

    assert wait_until(lambda: len(ours()) >= APPLICANTS, timeout=60), len(ours())
    # Both workers' mail tasks ran, and the beat's tick kept sweeping: anything mailed twice would show by now.
    beat_sent = log_of(scaled, "beat").count("Sending due task prefecture-tick")
    wait_until(lambda: log_of(scaled, "beat").count("Sending due task prefecture-tick") >= beat_sent + 2, timeout=30)
    time.sleep(1.0)
    delivered = ours()
    per_recipient = Counter(r for e in delivered for r in e.rcpt_tos)
    assert set(per_recipient) == recipients
    assert set(per_recipient.values()) == {1}, [r for r, n in per_recipient.items() if n > 1]
    ids = message_ids(delivered)
    assert len(ids) == APPLICANTS and len(set(ids)) == APPLICANTS and None not in ids
    mails = OutboundMail.objects.filter(triggered_by=f"offering:{offering.pk}")
    assert mails.count() == APPLICANTS
    assert set(mails.values_list("state", flat=True)) == {OutboundMail.State.SENT}
    assert not Application.objects.filter(offering=offering).exclude(notified=F("status")).exists()
    for worker in WORKERS:
        assert f"{MAIL_OUTCOMES}[" in log_of(scaled, worker), f"{worker} ran no outcome mailing"
