"""Bookings move the public board's places left live: each saved or cancelled booking carries the change of
people booked on its day, and a board that applies those deltas to its snapshot reads what a fresh snapshot
reads (and what the booking service's own `Places` say)."""
from datetime import timedelta

import pytest

from ops import events
from ops.boards import selectors
from ops.volunteers.services import book, cancel_booking, places, register_group
from tests import factories

pytestmark = pytest.mark.django_db


def _group(centre, members, on):
    return register_group(centre=centre, name="松本建設", leader_name="代表 一郎", leader_kana="ダイヒョウ イチロウ",
                          phone="090-1111-2222", member_count=members, age_band="40s", prefecture="長野県",
                          city="松本市", on=on)


def apply_public(snapshot: dict, public_events: list[dict]) -> dict:
    """What ops/boards/static/boards/public.js does with the events after its snapshot: the days' `booked`
    move by the deltas, places left are capacity less booked."""
    capacity = snapshot["centre"]["daily_capacity"]
    booked = {d["date"]: d["booked"] for d in snapshot["days"]}
    for event in public_events:
        for day, delta in ((event["data"] or {}).get("booked") or {}).items():
            if day in booked:
                booked[day] += delta
    return {day: (n, max(0, capacity - n)) for day, n in booked.items()}


def _days(snapshot: dict) -> dict:
    return {d["date"]: (d["booked"], d["left"]) for d in snapshot["days"]}


def test_booking_reaches_the_public_board_live(centre):
    centre.daily_capacity = 20
    centre.save()
    tomorrow, later = centre.today() + timedelta(days=1), centre.today() + timedelta(days=3)
    before = selectors.public_snapshot(centre)

    group = _group(centre, 8, tomorrow)
    alone = book(factories.make_volunteer(), centre, on=tomorrow)
    book(group.leader, centre, on=tomorrow, head_count=10)  # the group grew: two more people
    book(factories.make_volunteer(), centre, on=later)
    cancel_booking(alone)
    cancel_booking(alone)  # twice is once

    public = events.events_since(centre.pk, before["seq"], public=True)
    assert [(e["kind"], e["data"]) for e in public] == [
        ("booking.saved", {"booked": {tomorrow.isoformat(): 8}}),
        ("booking.saved", {"booked": {tomorrow.isoformat(): 1}}),
        ("booking.saved", {"booked": {tomorrow.isoformat(): 2}}),
        ("booking.saved", {"booked": {later.isoformat(): 1}}),
        ("booking.cancelled", {"booked": {tomorrow.isoformat(): -1}}),
    ]
    after = selectors.public_snapshot(centre)
    assert apply_public(before, public) == _days(after)
    assert _days(after)[tomorrow.isoformat()] == (10, 10) and places(centre, tomorrow).left == 10
    assert _days(after)[later.isoformat()] == (1, 19) and places(centre, later).left == 19


def test_a_booking_that_changes_no_places_tells_the_public_board_nothing(centre):
    tomorrow = centre.today() + timedelta(days=1)
    volunteer = factories.make_volunteer()
    book(volunteer, centre, on=tomorrow)
    seq = events.last_seq(centre.pk)
    again = book(volunteer, centre, on=tomorrow)  # the same booking: nothing saved, nothing emitted
    assert again.created is False and events.last_seq(centre.pk) == seq
    satellite = centre.bases.create(name="北サテライト", kind="satellite", lat=36.7, lng=138.2)
    book(volunteer, centre, on=tomorrow, base=satellite)  # another base, the same people
    [moved] = events.events_since(centre.pk, seq, public=True)
    assert moved["kind"] == "tick"  # staff boards see the booking; the public board only its seq
