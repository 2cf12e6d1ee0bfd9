"""Giving an offering's places (割当): once, whoever runs it (a staff click, the beat at the deadline, two
workers at once), under the offering's row lock.

When no more people applied than there are places (and seats), everyone gets one in order of arrival. When
more did, the offering's method decides the order: first-come (先着順: the order of arrival) or a fair draw
(抽選: the order of arrival shuffled by Python's `random.Random(seed)`, the seed fixed when the offering was
opened and shown with the result, so anyone may run `draw_order` again and get the same list). Places are
then given down that order; someone who asked for a bus gets a place only with a seat on it. Everyone else
joins the waiting list (キャンセル待ち) in that order, and `fill` moves it when a place comes free.

A place is a booking at the centre (ops.volunteers: what every count of places reads), made here in bulk; the
outcome mails follow from ops.prefecture.services.outcomes, once each.
"""
import random
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ops import audit
from ops.events import emit
from ops.prefecture.models import Application, BusDeparture, Offering
from ops.prefecture.state import offering_state
from ops.volunteers.models import Booking
from ops.volunteers.services.booking import booked_delta
from ops.volunteers.services.capacity import lock_centre, places
from ops.volunteers.state import booking_state


@dataclass(frozen=True)
class Allocation:
    offering_id: int
    method: str  # Offering.Method the order was made by
    allocated: int
    waiting: int
    already: bool = False  # it had been allocated before: nothing was done this time


def draw_order(ids_in_arrival_order: list[int], seed: str) -> list[int]:
    """The draw: the applications' ids, in order of arrival, shuffled by `random.Random(seed)` (a string
    seed is hashed by SHA-512, the same on every machine and Python process)."""
    order = list(ids_in_arrival_order)
    random.Random(seed).shuffle(order)
    return order


def allocate(offering_id: int, *, by=None) -> Allocation:
    with transaction.atomic():
        offering = Offering.objects.select_for_update().select_related("centre").get(pk=offering_id)
        if offering.status != Offering.Status.OPEN:
            counts = Offering.objects.with_counts().get(pk=offering_id)
            return Allocation(offering_id, offering.allocated_by_method, counts.allocated_n, counts.waiting_n,
                              already=True)
        centre = lock_centre(offering.centre)  # bookings and check-ins of the centre wait for this
        room = places(centre, offering.date)
        capacity = 0 if room.closed else min(offering.places, room.left)
        rows = list(Application.objects.filter(offering=offering, status=Application.Status.APPLIED).in_order()
                    .values_list("pk", "volunteer_id", "bus_id"))
        by_pk = {pk: (volunteer_id, bus_id) for pk, volunteer_id, bus_id in rows}
        seats = _seats_left(offering)
        wanted = Counter(bus for _pk, _v, bus in rows if bus is not None)
        oversubscribed = len(rows) > capacity or any(n > len(seats.get(bus, ())) for bus, n in wanted.items())
        method = offering.method if oversubscribed else Offering.Method.FIRST_COME
        order = [pk for pk, _v, _b in rows]
        if method == Offering.Method.DRAW:
            order = draw_order(order, offering.seed)
        given, waiting = [], []
        for pk in order:
            bus_id = by_pk[pk][1]
            if len(given) < capacity and (bus_id is None or seats.get(bus_id)):
                given.append((pk, seats[bus_id].pop(0) if bus_id is not None else None))
            else:
                waiting.append(pk)
        bookings = _book([by_pk[pk][0] for pk, _seat in given], offering)
        now = timezone.now()
        updates = [(pk, Application.Status.ALLOCATED, rank, seat, bookings[by_pk[pk][0]])
                   for rank, (pk, seat) in enumerate(given, start=1)]
        updates += [(pk, Application.Status.WAITING, rank, None, None)
                    for rank, pk in enumerate(waiting, start=len(given) + 1)]
        _write(updates, now)
        offering.status, offering.allocated_at, offering.allocated_by_method = Offering.Status.ALLOCATED, now, method
        offering.arrival_ids = [pk for pk, _v, _b in rows]
        offering.version += 1
        offering.save(update_fields=["status", "allocated_at", "allocated_by_method", "arrival_ids", "version"])
        audit.happened("prefecture.allocate", offering, centre=centre.pk, by=by,
                       note=f"{method} {len(given)}/{len(rows)}")
        emit(centre, "places.allocated", {"offering": offering_state(offering, allocated=len(given),
                                                                     waiting=len(waiting))},
             public=booked_delta(offering.date, len(given)))
    from ops.prefecture.services.outcomes import mail_outcomes_soon

    mail_outcomes_soon(offering.pk)
    return Allocation(offering.pk, method, len(given), len(waiting))


def _seats_left(offering: Offering) -> dict[int, list[int]]:
    """{bus id: its free seat numbers, lowest first} for the buses to the offering's centre and date that run."""
    buses = list(BusDeparture.objects.filter(centre_id=offering.centre_id, date=offering.date)
                 .exclude(status=BusDeparture.Status.CANCELLED))
    taken: dict[int, set[int]] = {bus.pk: set() for bus in buses}
    for bus_id, seat in Application.objects.filter(bus__in=buses, seat__isnull=False).values_list("bus_id", "seat"):
        taken[bus_id].add(seat)
    return {bus.pk: [n for n in range(1, bus.seats + 1) if n not in taken[bus.pk]] for bus in buses}


def _book(volunteer_ids: list[int], offering: Offering) -> dict[int, int]:
    """A booking for each volunteer at the offering's centre and date ({volunteer id: booking id}): a row they
    already have there (cancelled earlier) is opened again, the rest inserted in one statement."""
    existing = dict(Booking.objects.filter(centre_id=offering.centre_id, date=offering.date,
                                           volunteer_id__in=volunteer_ids).values_list("volunteer_id", "pk"))
    if existing:
        Booking.objects.filter(pk__in=existing.values(), cancelled_at__isnull=False).update(
            cancelled_at=None, head_count=1, base=None)
    new = [Booking(volunteer_id=v, centre_id=offering.centre_id, date=offering.date, head_count=1)
           for v in volunteer_ids if v not in existing]
    for booking in Booking.objects.bulk_create(new, batch_size=2000):
        existing[booking.volunteer_id] = booking.pk
    return existing


_UPDATE_SQL = """UPDATE {table} AS a SET status = v.status, rank = v.rank, seat = v.seat, booking_id = v.booking,
decided_at = %s FROM unnest(%s::bigint[], %s::text[], %s::int[], %s::int[], %s::bigint[])
AS v(id, status, rank, seat, booking) WHERE a.id = v.id"""


def _write(updates: list[tuple], now) -> None:
    """Each application's outcome in one statement on PostgreSQL (bulk_update's CASE is quadratic-ish there)."""
    if not updates:
        return
    if connection.vendor == "postgresql":
        ids, statuses, ranks, seats, bookings = (list(col) for col in zip(*updates, strict=True))
        with connection.cursor() as cursor:
            cursor.execute(_UPDATE_SQL.format(table=Application._meta.db_table),
                           [now, ids, statuses, ranks, seats, bookings])
        return
    rows = [Application(pk=pk, status=status, rank=rank, seat=seat, booking_id=booking, decided_at=now)
            for pk, status, rank, seat, booking in updates]
    Application.objects.bulk_update(rows, ["status", "rank", "seat", "booking_id", "decided_at"], batch_size=500)


def fill(offering: Offering) -> int:
    """Give places come free to the waiting list, in its order (the caller holds the offering's lock). A
    waiting volunteer who asked for a bus moves up only with a seat; the next one who fits is taken. Returns
    how many got a place."""
    centre = lock_centre(offering.centre)
    room = places(centre, offering.date)
    held = Application.objects.filter(offering=offering, status=Application.Status.ALLOCATED).count()
    free = 0 if room.closed else min(offering.places - held, room.left)
    if free <= 0:
        return 0
    seats = _seats_left(offering)
    moved = 0
    for application in (Application.objects.select_for_update().filter(
            offering=offering, status=Application.Status.WAITING).order_by("rank", "pk")):
        if moved == free:
            break
        if application.bus_id is not None and not seats.get(application.bus_id):
            continue
        seat = seats[application.bus_id].pop(0) if application.bus_id is not None else None
        _give(application, offering, seat)
        moved += 1
    return moved


def place_late(application: Application) -> None:
    """An application after the allocation (its row is new or back, and locked): a place left is its own at
    once, otherwise it joins the end of the waiting list."""
    offering = Offering.objects.select_for_update().select_related("centre").get(pk=application.offering_id)
    last = (Application.objects.filter(offering=offering, rank__isnull=False).order_by("-rank")
            .values_list("rank", flat=True).first()) or 0
    application.status, application.rank = Application.Status.WAITING, last + 1
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "rank", "decided_at"])
    fill(offering)
    application.refresh_from_db()
    from ops.prefecture.services.outcomes import mail_outcomes_soon

    mail_outcomes_soon(offering.pk)


def _give(application: Application, offering: Offering, seat: int | None) -> None:
    booking_id = _book([application.volunteer_id], offering)[application.volunteer_id]
    application.status, application.seat, application.booking_id = Application.Status.ALLOCATED, seat, booking_id
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "seat", "booking", "decided_at"])
    booking = Booking.objects.get(pk=booking_id)
    emit(offering.centre_id, "booking.saved", {"booking": booking_state(booking)},
         public=booked_delta(offering.date, 1))
