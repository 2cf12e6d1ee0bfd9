"""Domain events: written to the outbox (centres.Event) inside the caller's transaction, pushed to the
channel layer after commit. Services call `emit`; views, tasks and consumers never build events.

Group names: `staff.<centre id>` (staff boards) and `public.<centre id>` (public board, aggregates only).

The public form of an event (`public=`) is read by ops/boards/static/boards/public.js and ops.boards.selectors:
- a number is a counter delta: `{"volunteers_today": 1}` or `{"needs_completed": 1}` moves the counter named
  by the key without a trailing "_today" both for today and in total (volunteers_today/_total,
  needs_completed_today/_total, needs_received_today/_total);
- `{"booked": {"2026-07-20": 1}}` moves the bookings of those days (places left = capacity - booked);
- `{"centre": centre_state}` (ops.centres.services) replaces the centre's public information.
"""
import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F

from ops.centres.models import Centre, Event

log = logging.getLogger(__name__)


def staff_group(centre_id: int) -> str:
    return f"staff.{centre_id}"


def public_group(centre_id: int) -> str:
    return f"public.{centre_id}"


def emit(centre: Centre | int, kind: str, payload: dict, *, public: dict | None = None) -> Event:
    """Record an event for the centre and publish it once the surrounding transaction commits.

    Call it last in a service's transaction: taking the next sequence number locks the centre's row until
    commit, which is what makes `seq` gap-free and in commit order per centre.
    `payload` is the changed entity's state for staff boards (ops.<app>.state: never names, phones or
    addresses). `public` holds deltas of public counters only, e.g. {"volunteers_today": 1}; it is what the
    public board receives (see as_message).
    """
    centre_id = centre if isinstance(centre, int) else centre.pk
    with transaction.atomic():
        Centre.objects.filter(pk=centre_id).update(event_seq=F("event_seq") + 1)
        seq = Centre.objects.filter(pk=centre_id).values_list("event_seq", flat=True).get()
        event = Event.objects.create(centre_id=centre_id, seq=seq, kind=kind, payload=payload, public=public)
    transaction.on_commit(lambda: publish(event))
    return event


def as_message(event: Event, *, public: bool = False) -> dict:
    """The wire form. The public form of a staff-only event is a bare tick: its seq keeps the public
    board's gap detection exact, and nothing else of it leaves the staff side."""
    if public:
        if event.public is None:
            return {"seq": event.seq, "kind": "tick", "at": event.created_at.isoformat(), "data": None}
        return {"seq": event.seq, "kind": event.kind, "at": event.created_at.isoformat(), "data": event.public}
    return {"seq": event.seq, "kind": event.kind, "at": event.created_at.isoformat(), "data": event.payload}


def publish(event: Event) -> None:
    """Push one committed event to the boards. A failure here loses nothing: boards see the gap in `seq`
    and catch up from the outbox."""
    try:
        async_to_sync(_send_both)(event)
    except Exception:  # Redis down or restarting: the board resyncs from the outbox
        log.warning("could not publish event %s#%s; boards will catch up", event.centre_id, event.seq)


async def _send_both(event: Event) -> None:
    # Both sends in one event loop: async_to_sync from plain sync code starts a loop (and a Redis
    # connection) per call, which is most of a publish's cost.
    layer = get_channel_layer()
    await layer.group_send(staff_group(event.centre_id), _group_message(as_message(event)))
    await layer.group_send(public_group(event.centre_id), _group_message(as_message(event, public=True)))


def _group_message(message: dict) -> dict:
    # Encoded once here rather than once per connected socket.
    return {"type": "board.event", "text": json.dumps(message, ensure_ascii=False, separators=(",", ":"))}


def events_since(centre_id: int, seq: int, *, public: bool = False, limit: int = 500):
    """Committed events after `seq`, oldest first (for a board catching up after a short disconnect)."""
    qs = Event.objects.filter(centre_id=centre_id, seq__gt=seq).order_by("seq")
    return [as_message(e, public=public) for e in qs[:limit]]


def last_seq(centre_id: int) -> int:
    return Centre.objects.filter(pk=centre_id).values_list("event_seq", flat=True).get()
