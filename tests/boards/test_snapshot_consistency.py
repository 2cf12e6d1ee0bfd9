"""A snapshot's seq matches its state even while services commit around it: the public board adds counter
deltas of events after the snapshot's seq, so a count read "a bit later" than the seq would be doubled."""
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from ops import events
from ops.boards import selectors
from ops.needs.models import Need
from ops.needs.state import need_state
from tests import factories

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]


def test_public_snapshot_counts_exactly_the_events_up_to_its_seq(centre):
    if connection.vendor != "postgresql":
        pytest.skip("a race on PostgreSQL")
    stop = threading.Event()
    errors = []

    def intake(worker):
        try:
            for i in range(40):
                with transaction.atomic():
                    need = Need.objects.create(centre=centre, number=worker * 1000 + i, received_at=timezone.now(),
                                               requester_name="x", address="x")
                    events.emit(centre, "need.created", {"need": need_state(need)}, public={"needs_received": 1})
        except Exception as err:
            errors.append(err)
        finally:
            connection.close()

    writers = [threading.Thread(target=intake, args=(w,)) for w in (1, 2)]
    snapshots = []

    def reader():
        try:
            while not stop.is_set():
                snapshots.append(selectors.public_snapshot(centre))
        finally:
            connection.close()

    readers = [threading.Thread(target=reader) for _ in range(2)]
    for t in writers + readers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    for t in readers:
        t.join()

    assert not errors
    assert len(snapshots) > 10
    assert len({s["seq"] for s in snapshots}) > 3  # the readers really ran between commits
    for snap in snapshots:
        assert snap["counters"]["needs_received_total"] == snap["seq"], snap["seq"]
    assert events.last_seq(centre.pk) == 80
    assert [e["seq"] for e in events.events_since(centre.pk, 0)] == list(range(1, 81))  # no gaps


def test_staff_snapshot_holds_the_needs_of_exactly_its_events(centre):
    factories.make_need(centre)  # not announced: the snapshot shows it, no event refers to it
    with transaction.atomic():
        need = factories.make_need(centre)
        events.emit(centre, "need.created", {"need": need_state(need)})
    snap = selectors.staff_snapshot(centre)
    assert snap["seq"] == 1
    assert [e["data"]["need"]["id"] for e in snap["events"]] == [need.pk]
    assert {n["id"] for n in snap["needs"]} >= {need.pk}
