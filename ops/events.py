"""Domain events: written to the outbox (centres.Event) inside the caller's transaction, pushed to the
channel layer after commit. Services call `emit`; views, tasks and consumers never build events.

Group names: `staff.<centre id>` (staff boards) and `public.<centre id>` (public board, aggregates only).
"""
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
    layer = get_channel_layer()
    try:
        send = async_to_sync(layer.group_send)
        send(staff_group(event.centre_id), {"type": "board.event", "event": as_message(event)})
        send(public_group(event.centre_id), {"type": "board.event", "event": as_message(event, public=True)})
    except Exception:  # Redis down or restarting: the board resyncs from the outbox
        log.warning("could not publish event %s#%s; boards will catch up", event.centre_id, event.seq)


def events_since(centre_id: int, seq: int, *, public: bool = False, limit: int = 500):
    """Committed events after `seq`, oldest first (for a board catching up after a short disconnect)."""
    qs = Event.objects.filter(centre_id=centre_id, seq__gt=seq).order_by("seq")
    return [as_message(e, public=public) for e in qs[:limit]]


def last_seq(centre_id: int) -> int:
    return Centre.objects.filter(pk=centre_id).values_list("event_seq", flat=True).get()
