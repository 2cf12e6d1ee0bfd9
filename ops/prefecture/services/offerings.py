"""受入枠と応募: the prefecture opens a centre's date with its places; a volunteer registered once applies
for dates at one or more centres (each centre's scope, age rule and capacity), and may cancel."""
from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Centre, Suspension
from ops.prefecture.models import Application, BusDeparture, Offering
from ops.prefecture.services import PrefectureRefused
from ops.volunteers.models import Booking, Volunteer
from ops.volunteers.rules import VolunteerError, check_age, check_scope
from ops.volunteers.services.capacity import lock_centre, places


def open_offering(centre: Centre, *, on: date, places_n: int, method: str = Offering.Method.DRAW,
                  closes_at: datetime | None = None, note: str = "", by=None) -> Offering:
    """Open `places_n` places at `centre` on `on` for applications. The places must fit the day's capacity as
    committed now (the centre's lock: bookings and check-ins take it too), and the day must be a coming one."""
    if centre.status == Centre.Status.CLOSED:
        raise PrefectureRefused(_("このセンターは閉所しています。"), field="centre")
    if on <= centre.today():
        raise PrefectureRefused(_("受入枠は翌日以降の日について開いてください。"), field="date")
    if places_n < 1:
        raise PrefectureRefused(_("受入人数は1人以上にしてください。"), field="places")
    if method not in Offering.Method.values:
        raise PrefectureRefused(_("決め方の指定が正しくありません。"), field="method")
    if closes_at is not None and closes_at >= centre.at(on, centre.activity_start):
        raise PrefectureRefused(_("応募締切は活動日の受付開始より前にしてください。"), field="closes_at")
    with transaction.atomic():
        centre = lock_centre(centre)
        left = places(centre, on)
        if left.closed or (left.suspended and left.suspended_from is None):
            raise PrefectureRefused(_("この日は受入がありません（休止日または活動中止）。"), field="date")
        if places_n > left.left:
            raise PrefectureRefused(_("この日の残りの受入可能人数は%(n)d人です。") % {"n": left.left}, field="places")
        with audit.operation("prefecture.open_offering", by=by, centre=centre):
            try:
                with transaction.atomic():
                    return Offering.objects.create(centre=centre, date=on, places=places_n, method=method,
                                                   closes_at=closes_at, note=note.strip()[:200], opened_by=by)
            except IntegrityError:
                raise PrefectureRefused(_("この日の受入枠はすでに開いています。"), field="date") from None


def offering_for(centre_id: int, day: date) -> Offering | None:
    """The offering of that centre's date, if the prefecture opened one (then bookings go through it)."""
    return Offering.objects.filter(centre_id=centre_id, date=day).first()


def apply(volunteer: Volunteer, offering: Offering, *, bus: BusDeparture | None = None) -> Application:
    """Apply for a place (and a bus seat). Applying again is the same application (its bus may change while it
    is still undecided); a cancelled one comes back at the end of the queue. After the allocation, a place
    left is given at once, otherwise the application joins the waiting list (ops.prefecture.services.allocation)."""
    centre = offering.centre
    if offering.status == Offering.Status.CLOSED or centre.status == Centre.Status.CLOSED:
        raise PrefectureRefused(_("この日の応募は締め切りました。"), field="offering")
    if offering.closes_at is not None and timezone.now() >= offering.closes_at \
            and offering.status == Offering.Status.OPEN:
        raise PrefectureRefused(_("この日の応募は締め切りました。"), field="offering")
    if offering.date <= centre.today():
        raise PrefectureRefused(_("この日の応募は締め切りました。"), field="offering")
    try:
        check_age(centre, age_band=volunteer.age_band, guardian_consent=volunteer.guardian_consent)
        check_scope(centre, prefecture=volunteer.prefecture, city=volunteer.city)
    except VolunteerError as exc:
        raise PrefectureRefused(exc.message, field="offering", code=exc.code) from None
    if bus is not None and (bus.centre_id != offering.centre_id or bus.date != offering.date):
        raise PrefectureRefused(_("このバスはこの日・このセンターへの便ではありません。"), field="bus")
    if bus is not None and bus.status == BusDeparture.Status.CANCELLED:
        raise PrefectureRefused(_("このバスは運休です。"), field="bus")
    if Booking.objects.filter(volunteer=volunteer, centre_id=offering.centre_id, date=offering.date,
                              cancelled_at__isnull=True, application__isnull=True).exists():
        raise PrefectureRefused(_("この日はすでにこのセンターの活動予約があります。"), field="offering")
    late = offering.status == Offering.Status.ALLOCATED
    try:
        return _write_application(volunteer, offering, bus, late=late)
    except _AllocatedMeanwhile:  # the allocation committed while this waited: once more, as a late application
        return _write_application(volunteer, offering, bus, late=True)


class _AllocatedMeanwhile(Exception):
    pass


def _write_application(volunteer: Volunteer, offering: Offering, bus: BusDeparture | None, *,
                       late: bool) -> Application:
    """The application's row, under a lock on the offering that suits its state (`_lock`): while it is open,
    FOR KEY SHARE (many applications at once; the allocation's FOR UPDATE waits for them, and they for it);
    once allocated, FOR UPDATE (a late application takes a place or the end of the waiting list, one at a
    time). A lock is never upgraded (two applications upgrading would deadlock): an application that finds the
    offering allocated under a shared lock starts again exclusive. An allocation is final, so at most twice.
    The common case is one locked read and one insert; one place a person a day is the unique key's."""
    from ops.prefecture.services.allocation import place_late

    with transaction.atomic():
        status = _lock(offering, exclusive=late)
        if status == Offering.Status.CLOSED:
            raise PrefectureRefused(_("この日の応募は締め切りました。"), field="offering")
        if status == Offering.Status.ALLOCATED and not late:
            raise _AllocatedMeanwhile
        try:
            with transaction.atomic():
                application = Application.objects.create(offering=offering, volunteer=volunteer, bus=bus,
                                                         date=offering.date)
        except IntegrityError:  # applied before (a double tap, or back after a cancellation), or another centre
            existing = Application.objects.select_for_update().filter(offering=offering, volunteer=volunteer).first()
            if existing is None:
                raise same_day(_other_that_day(volunteer, offering)) from None
            if existing.status != Application.Status.CANCELLED:
                if existing.status == Application.Status.APPLIED and existing.bus_id != (bus.pk if bus else None):
                    existing.bus = bus
                    existing.save(update_fields=["bus"])
                existing.created = False
                return existing
            existing.status, existing.bus, existing.rank, existing.seat = Application.Status.APPLIED, bus, None, None
            existing.cancelled_at, existing.decided_at, existing.created_at = None, None, timezone.now()
            existing.notified = ""
            try:
                with transaction.atomic():
                    existing.save()
            except IntegrityError:  # another centre's application of the same day came first
                raise same_day(_other_that_day(volunteer, offering)) from None
            application = existing
        if status == Offering.Status.ALLOCATED:
            place_late(application)
    application.created = True
    return application


_LOCK_SQL = {False: "SELECT status FROM prefecture_offering WHERE id = %s FOR KEY SHARE",
             True: "SELECT status FROM prefecture_offering WHERE id = %s FOR UPDATE"}


def _lock(offering: Offering, *, exclusive: bool) -> str:
    """The offering's status as committed, read under its lock: FOR KEY SHARE (an application while it is open:
    the allocation's FOR UPDATE waits for it, other applications do not) or FOR UPDATE. Django's foreign keys
    are checked at commit (DEFERRABLE INITIALLY DEFERRED), too late to hold the offering for this."""
    if connection.vendor != "postgresql":
        return Offering.objects.filter(pk=offering.pk).values_list("status", flat=True).get()
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_SQL[exclusive], [offering.pk])
        return cursor.fetchone()[0]


def same_day(other: Application | None) -> PrefectureRefused:
    if other is None:
        return PrefectureRefused(_("この日はすでにほかのセンターに応募しています。"), field="offering", code="same_day")
    return PrefectureRefused(_("この日はすでに%(centre)sに応募しています。1日に応募できるのは1か所です。") % {
        "centre": other.offering.centre.name}, field="offering", code="same_day")


def _other_that_day(volunteer, offering) -> Application | None:
    return (Application.objects.live().filter(volunteer=volunteer, date=offering.date).exclude(offering=offering)
            .select_related("offering__centre").first())


def cancel_application(application: Application, *, by=None) -> Application:
    """The volunteer (or staff) cancels: a place held is given back (its booking cancelled) and the waiting list
    moves (ops.prefecture.services.allocation.fill). Cancelling twice is the same cancellation."""
    from ops.prefecture.services.allocation import fill
    from ops.volunteers.services.booking import cancel_booking

    with transaction.atomic():
        # Locks in one order everywhere (booking, offering, application), as cancel_booking's path takes them.
        if application.booking_id:
            Booking.objects.select_for_update().filter(pk=application.booking_id).exists()
        offering = Offering.objects.select_for_update().select_related("centre").get(pk=application.offering_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status == Application.Status.CANCELLED:
            return application
        held = application.status == Application.Status.ALLOCATED
        application.status, application.seat = Application.Status.CANCELLED, None
        application.cancelled_at = timezone.now()
        application.save(update_fields=["status", "seat", "cancelled_at"])
        audit.happened("prefecture.cancel_application", application, centre=offering.centre_id, by=by)
        if held and application.booking_id:
            cancel_booking(Booking.objects.get(pk=application.booking_id), notify=False, via_application=True)
        if held and offering.status == Offering.Status.ALLOCATED:
            fill(offering)
    from ops.prefecture.services.outcomes import mail_outcomes_soon

    mail_outcomes_soon(offering.pk)
    return application


def booking_cancelled(booking: Booking, *, told: bool = False) -> None:
    """A booking made by an allocation was cancelled elsewhere (the volunteer's page, reception): its
    application is cancelled with it and the waiting list moves (not into a day suspended whole). `told`: the
    booking's own cancellation mail went out, so no second mail says the same. Called by
    ops.volunteers.services.booking.cancel_booking inside its transaction, holding the booking's lock."""
    from ops.prefecture.services.allocation import fill

    offering_id = Application.objects.filter(booking_id=booking.pk).values_list("offering_id", flat=True).first()
    if offering_id is None:
        return
    offering = Offering.objects.select_for_update().select_related("centre").get(pk=offering_id)
    application = Application.objects.select_for_update().filter(booking_id=booking.pk).first()
    if application is None or application.status != Application.Status.ALLOCATED:
        return
    application.status, application.seat, application.cancelled_at = Application.Status.CANCELLED, None, timezone.now()
    if told:
        application.notified = Application.Status.CANCELLED
    application.save(update_fields=["status", "seat", "cancelled_at", "notified"])
    suspended = Suspension.objects.on(offering.centre, offering.date)
    if offering.status == Offering.Status.ALLOCATED and not (suspended is not None and suspended.whole_day):
        fill(offering)
    from ops.prefecture.services.outcomes import mail_outcomes_soon

    mail_outcomes_soon(offering.pk)
