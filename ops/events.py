"""Domain events: written to the outbox (centres.Event) inside the caller's transaction, pushed to the
channel layer after commit. Services call `emit`; views, tasks and consumers never build events.

Group names: `public.<centre id>` (public board, aggregates only) and one staff group per audience of the
personal-data registry (ops.privacy): `staff.<centre id>` for roles that see residents' data, carrying the
events as written, and `staff.<centre id>.limited` for the others (the city's viewers, leaders, reception),
carrying them as the registry lets those roles see them (positions to about 100 m, no welfare flag). The
same rule shapes the staff snapshot and the events feed, so a board is never told more by one than another.

The public form of an event (`public=`) is read by ops/boards/static/boards/public.js and ops.boards.selectors:
- a number is a counter delta: `{"volunteers_today": 1}` or `{"needs_completed": 1}` moves the counter named
  by the key without a trailing "_today" both for today and in total (volunteers_today/_total,
  needs_completed_today/_total, needs_received_today/_total);
- `{"booked": {"2026-07-20": 8}}` moves the people booked on those days, by head count (a group's booking of 8
  is 8); places left = capacity - booked, as the booking service's Places count them (ops.volunteers.services.
  booking emits it on every booking saved or cancelled that changes the people booked);
- `{"centre": centre_state}` (ops.centres.services) replaces the centre's public information (its
  `suspensions`, 活動中止 from today on, are what the public board's banner and every slip page's return
  call read; `centre.suspended` / `centre.resumed` also carry the one `suspension` that changed);
- `{"capacity": {"date": "2026-07-20" or null}}` says a day's capacity (or the standing one) changed
  (ops.centres.bases): the board reloads its snapshot, whose days carry each day's own capacity.
"""
import asyncio
import json
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from ops import privacy
from ops.centres.models import Centre, Event

log = logging.getLogger(__name__)

# Every kind of event there is, with the words the staff board's feed shows for it ("班編成" here is an event,
# team formed, not the Teams page). `emit` refuses a kind that is not here, so none reaches a board as a code.
KINDS = {
    "need.created": pgettext_lazy("board event", "ニーズ受付"),
    "need.changed": pgettext_lazy("board event", "ニーズ更新"),
    "attendance.checked_in": pgettext_lazy("board event", "ボランティア受付"),
    "attendance.checked_out": pgettext_lazy("board event", "ボランティア活動終了"),
    "booking.saved": pgettext_lazy("board event", "活動予約"),
    "booking.cancelled": pgettext_lazy("board event", "活動予約の取消"),
    "team.formed": pgettext_lazy("board event", "班編成"),
    "team.ready": pgettext_lazy("board event", "班待機"),
    "team.tools": pgettext_lazy("board event", "資機材の貸出・返却"),
    "team.disbanded": pgettext_lazy("board event", "班解散"),
    "dispatch.created": pgettext_lazy("board event", "送り出し"),
    "dispatch.arrived": pgettext_lazy("board event", "現地到着"),
    "dispatch.returned": pgettext_lazy("board event", "帰着報告"),
    "dispatch.cancelled": pgettext_lazy("board event", "送り出し取消"),
    "dispatch.contacted": pgettext_lazy("board event", "帰着遅れの班に連絡済み"),
    "partner.changed": pgettext_lazy("board event", "協力団体への依頼"),
    "places.allocated": pgettext_lazy("board event", "受入枠の割当"),
    "bus.changed": pgettext_lazy("board event", "ボランティアバスの運行"),
    "centre.changed": pgettext_lazy("board event", "センター情報更新"),
    "capacity.changed": pgettext_lazy("board event", "受入上限の変更"),
    "centre.closed": pgettext_lazy("board event", "閉所"),
    "centre.reopened": pgettext_lazy("board event", "閉所の取消（再開）"),
    "centre.suspended": pgettext_lazy("board event", "活動中止"),
    "centre.resumed": pgettext_lazy("board event", "活動中止の解除"),
    # A drill (訓練, ops.drills): its run started, paused, resumed or finished; a 状況付与 (inject) for the staff;
    # the drill reset to its start (every board reloads).
    "drill.state": pgettext_lazy("board event", "訓練の進行"),
    "drill.inject": pgettext_lazy("board event", "状況付与"),
    "drill.reset": pgettext_lazy("board event", "訓練のリセット"),
}


def staff_group(centre_id: int, audience: str) -> str:
    """The staff group of one audience (privacy.FULL or privacy.LIMITED)."""
    return f"staff.{centre_id}" if audience == privacy.FULL else f"staff.{centre_id}.{audience}"


def staff_group_for(user, centre: Centre) -> str:
    """The staff group this user's board joins: the audience the registry puts their role in."""
    return staff_group(centre.pk, privacy.sight_of(user, centre).audience)


def public_group(centre_id: int) -> str:
    return f"public.{centre_id}"


ACCESS_GROUP = "boards.access"  # every web process listens: someone's access to staff sockets may have changed


def access_changed(user_id: int, *, session_key: str | None = None) -> None:
    """After commit, ask every web process to re-check the user's open staff sockets (logout, a role given or
    taken, an account deactivated or deleted); a logged-out session's sockets close without a check. A lost
    message is covered by the sockets' timer (BOARD_ACCESS_RECHECK_SECONDS)."""
    message = {"type": "access.changed", "user": user_id, "session": session_key}
    transaction.on_commit(lambda: _publish_access(message))


def _publish_access(message: dict) -> None:
    try:
        _loop.run(_send_access, message)
    except Exception:
        log.warning("could not publish an access change; the sockets' timer re-checks it")


async def _send_access(message: dict) -> None:
    await get_channel_layer().group_send(ACCESS_GROUP, message)


def emit(centre: Centre | int, kind: str, payload: dict, *, public: dict | None = None,
         locked_read: tuple[str, dict] | None = None) -> Event:
    """Record an event for the centre and publish it once the surrounding transaction commits.

    Call it last in a service's transaction: taking the next sequence number locks the centre's row until
    commit, which is what makes `seq` gap-free and in commit order per centre. On PostgreSQL the number is
    taken and the event written by one statement, so the lock is held from there to the commit and no
    longer (every service of the centre, e.g. the 8:30 check-in queue, waits on it).
    `payload` is the changed entity's state for staff boards (ops.<app>.state: never names, phones or
    addresses; each staff audience gets it as the registry lets it, see as_message). `public` holds deltas of public counters only, e.g. {"volunteers_today": 1}; it is what the
    public board receives (see as_message).

    `locked_read` is `(sql, params)` of one read that must see everything committed before this transaction
    took the centre's lock (a per-centre limit such as the day's capacity). It runs right after the event, in
    the same round trip on PostgreSQL; its first row is `event.locked_row`. Raising after a failed check rolls
    the event and its number back with the rest of the transaction, so no gap and nothing is published.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}: add it, with its words, to ops.events.KINDS")
    centre_id = centre if isinstance(centre, int) else centre.pk
    event = Event(centre_id=centre_id, kind=kind, payload=payload, public=public, created_at=timezone.now())
    with transaction.atomic(savepoint=False):  # inside the caller's transaction: no savepoint round trips
        if connection.vendor == "postgresql":
            event.locked_row = _emit_postgresql(event, locked_read)
        else:
            Centre.objects.filter(pk=centre_id).update(event_seq=F("event_seq") + 1)
            event.seq = Centre.objects.filter(pk=centre_id).values_list("event_seq", flat=True).get()
            event.save(force_insert=True)
            event.locked_row = None
            if locked_read is not None:
                with connection.cursor() as cursor:
                    cursor.execute(*locked_read)
                    event.locked_row = cursor.fetchone()
    transaction.on_commit(lambda: publish(event))
    return event


_EMIT_SQL = """WITH next AS (UPDATE {centre} SET event_seq = event_seq + 1 WHERE id = %(emit_centre)s RETURNING id, event_seq)
INSERT INTO {event} (centre_id, seq, kind, payload, public, created_at)
SELECT id, event_seq, %(emit_kind)s, %(emit_payload)s, %(emit_public)s, %(emit_at)s FROM next RETURNING id, seq"""


def _emit_postgresql(event: Event, locked_read):
    """Take the number and insert the event in one statement; the locked read (if any) follows in the same
    query string. Django's psycopg cursor binds parameters client-side, so several statements may go in one
    execute; each gets its own snapshot (READ COMMITTED), so the read sees every commit before our lock."""
    fields = {f.name: f for f in Event._meta.concrete_fields}
    sql = _EMIT_SQL.format(centre=connection.ops.quote_name(Centre._meta.db_table),
                           event=connection.ops.quote_name(Event._meta.db_table))
    params = {"emit_centre": event.centre_id, "emit_kind": event.kind,
              "emit_payload": fields["payload"].get_db_prep_save(event.payload, connection),
              "emit_public": fields["public"].get_db_prep_save(event.public, connection),
              "emit_at": fields["created_at"].get_db_prep_save(event.created_at, connection)}
    if locked_read is not None:
        read_sql, read_params = locked_read
        if set(read_params) & set(params):
            raise ValueError("locked_read parameters must not start with 'emit_'")
        sql, params = f"{sql};\n{read_sql}", {**params, **read_params}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            raise Centre.DoesNotExist(f"no centre {event.centre_id}")
        event.pk, event.seq = row
        event._state.adding, event._state.db = False, connection.alias
        if locked_read is None:
            return None
        cursor.nextset()
        return cursor.fetchone()


def as_message(event: Event, *, public: bool = False, audience: str = privacy.LIMITED) -> dict:
    """The wire form. The public form of a staff-only event is a bare tick: its seq keeps the public
    board's gap detection exact, and nothing else of it leaves the staff side. The staff form is the payload
    as the audience's Sight gets it (ops.privacy)."""
    if public:
        if event.public is None:
            return {"seq": event.seq, "kind": "tick", "at": event.created_at.isoformat(), "data": None}
        return {"seq": event.seq, "kind": event.kind, "at": event.created_at.isoformat(), "data": event.public}
    data = privacy.AUDIENCES[audience].payload(event.payload) if isinstance(event.payload, dict) else event.payload
    return {"seq": event.seq, "kind": event.kind, "at": event.created_at.isoformat(), "data": data}


def publish(event: Event) -> None:
    """Push one committed event to the boards. A failure here loses nothing: boards see the gap in `seq`
    and catch up from the outbox."""
    try:
        _loop.run(_send_all, event)
    except Exception:  # Redis down or restarting: the board resyncs from the outbox
        log.warning("could not publish event %s#%s; boards will catch up", event.centre_id, event.seq)


class _PublishLoop:
    """Where publishes run. Inside the ASGI server a service runs on a request thread, and the send is handed
    to the server's loop without waiting. Elsewhere (Celery, scripts, management commands) async_to_sync
    would start a thread, an event loop and a new Redis connection for every event, which was most of a
    publish's cost (15-30 ms); there one loop in a daemon thread keeps its connections for the process's life,
    and the caller waits for the send (up to TIMEOUT). The in-memory layer of tests runs where it is called.
    """

    TIMEOUT = 3.0  # a Redis outage must not hold the service's caller for long

    def __init__(self):
        self._lock = threading.Lock()
        self._loop = None
        self._pid = None

    def run(self, fn, *args):
        if not _is_redis_layer():
            return async_to_sync(fn)(*args)
        server_loop = _main_loop()
        if server_loop is not None:
            # In the web server: hand the send to the server's loop and go on. Waiting for Redis held one of
            # the process's few request threads idle (bench/checkin_burst.py); a failed send is logged there,
            # and a board that misses an event catches up from the outbox as always.
            asyncio.run_coroutine_threadsafe(fn(*args), server_loop).add_done_callback(_log_failure)
            return None
        future = asyncio.run_coroutine_threadsafe(fn(*args), self._ensure())
        try:
            return future.result(self.TIMEOUT)
        except BaseException:
            future.cancel()
            raise

    def _ensure(self):
        with self._lock:
            if self._loop is None or self._pid != os.getpid():  # a forked child needs its own thread
                self._loop, self._pid = asyncio.new_event_loop(), os.getpid()
                threading.Thread(target=self._loop.run_forever, name="board-publisher", daemon=True).start()
            return self._loop


def _main_loop():
    """The ASGI server's event loop when this thread runs a request for it (sync_to_async), else None."""
    from asgiref.sync import SyncToAsync

    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid() or loop.is_closed():
        return None
    return loop


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("could not publish an event (%s); boards will catch up", type(future.exception()).__name__)


def _is_redis_layer() -> bool:
    # The in-memory layer of single-process tests keeps asyncio queues that must stay on one loop.
    return type(get_channel_layer()).__module__.startswith("channels_redis")


_loop = _PublishLoop()


async def _send_all(event: Event) -> None:
    layer = get_channel_layer()
    for audience in privacy.AUDIENCES:
        await layer.group_send(staff_group(event.centre_id, audience),
                               _group_message(as_message(event, audience=audience)))
    await layer.group_send(public_group(event.centre_id), _group_message(as_message(event, public=True)))


def _group_message(message: dict) -> dict:
    # Encoded once here rather than once per connected socket.
    return {"type": "board.event", "text": json.dumps(message, ensure_ascii=False, separators=(",", ":"))}


def events_since(centre_id: int, seq: int, *, public: bool = False, audience: str = privacy.LIMITED,
                 limit: int = 500):
    """Committed events after `seq`, oldest first (for a board catching up after a short disconnect)."""
    qs = Event.objects.filter(centre_id=centre_id, seq__gt=seq).order_by("seq")
    return [as_message(e, public=public, audience=audience) for e in qs[:limit]]


def last_seq(centre_id: int) -> int:
    return Centre.objects.filter(pk=centre_id).values_list("event_seq", flat=True).get()
