"""受入枠と応募: the prefecture opens a centre's date with its places; a volunteer registered once applies
for dates at one or more centres (each centre's scope, age rule and capacity), and may cancel."""
from datetime import date, datetime

from django.db import IntegrityError, transaction
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
    from ops.prefecture.services.allocation import place_late

    with transaction.atomic():
        existing = Application.objects.select_for_update().filter(offering=offering, volunteer=volunteer).first()
        if existing is not None and existing.status != Application.Status.CANCELLED:
            if existing.status == Application.Status.APPLIED and existing.bus_id != (bus.pk if bus else None):
                existing.bus = bus
                existing.save(update_fields=["bus"])
            existing.created = False
            return existing
        if existing is not None:  # back after a cancellation: at the end of the queue
            # An allocation in progress must not miss it: this waits for it (and it for this), as the insert's
            # foreign key check does below (FOR KEY SHARE on the offering conflicts with its FOR UPDATE).
            Offering.objects.select_for_update(no_key=True).filter(pk=offering.pk).exists()
            existing.status, existing.bus, existing.rank, existing.seat = Application.Status.APPLIED, bus, None, None
            existing.cancelled_at, existing.decided_at, existing.created_at = None, None, timezone.now()
            existing.save()
            application = existing
        else:
            try:
                with transaction.atomic():
                    application = Application.objects.create(offering=offering, volunteer=volunteer, bus=bus)
            except IntegrityError:  # the same phone tapped twice: its first request stands
                application = Application.objects.get(offering=offering, volunteer=volunteer)
                application.created = False
                return application
        # Read after the write, so an allocation that committed meanwhile is seen (and one waiting sees this).
        status = Offering.objects.filter(pk=offering.pk).values_list("status", flat=True).get()
        if status == Offering.Status.CLOSED:
            raise PrefectureRefused(_("この日の応募は締め切りました。"), field="offering")
        if status == Offering.Status.ALLOCATED:
            place_late(application)
    application.created = True
    return application


def cancel_application(application: Application, *, by=None) -> Application:
    """The volunteer (or staff) cancels: a place held is given back (its booking cancelled) and the waiting list
    moves (ops.prefecture.services.allocation.fill). Cancelling twice is the same cancellation."""
    from ops.prefecture.services.allocation import fill
    from ops.volunteers.services.booking import cancel_booking

    with transaction.atomic():
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


def booking_cancelled(booking: Booking) -> None:
    """A booking made by an allocation was cancelled elsewhere (the volunteer's page, reception, a suspension's
    cancellation of the day): its application is cancelled with it and the waiting list moves, unless the whole
    day was suspended. Called by ops.volunteers.services.booking.cancel_booking inside its transaction."""
    from ops.prefecture.services.allocation import fill

    application = Application.objects.select_for_update().filter(booking_id=booking.pk).first()
    if application is None or application.status != Application.Status.ALLOCATED:
        return
    offering = Offering.objects.select_for_update().select_related("centre").get(pk=application.offering_id)
    application.status, application.seat, application.cancelled_at = Application.Status.CANCELLED, None, timezone.now()
    application.save(update_fields=["status", "seat", "cancelled_at"])
    suspended = Suspension.objects.on(offering.centre, offering.date)
    if offering.status == Offering.Status.ALLOCATED and not (suspended is not None and suspended.whole_day):
        fill(offering)
    from ops.prefecture.services.outcomes import mail_outcomes_soon

    mail_outcomes_soon(offering.pk)
