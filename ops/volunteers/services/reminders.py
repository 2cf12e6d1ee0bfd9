"""The reminder the evening before (活動前日のお知らせ): once a centre's clock has passed REMINDER_TIME, every
open booking of its tomorrow is mailed once, with when, where and what to bring. The beat runs it every
10 minutes (ops.volunteers.tasks); a tick that finds nothing due does nothing, and two at once send each
reminder once: a booking's reminder is claimed by one conditional UPDATE of Booking.reminded_at."""
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from ops.centres.models import Centre
from ops.messages.models import OutboundMail
from ops.volunteers.mailing import mail_booking
from ops.volunteers.models import Booking
from ops.volunteers.services.capacity import places

REMINDER_TIME = time(17, 0)  # on the centre's wall clock


def tomorrow_if_due(centre: Centre):
    """The centre's tomorrow when its reminders are due now, else None: past REMINDER_TIME, the centre taking
    people tomorrow (not closed by then, the day not 休止日; a centre still preparing may open tomorrow)."""
    now = centre.now()
    if centre.status == Centre.Status.CLOSED or now.time() < REMINDER_TIME:
        return None
    tomorrow = now.date() + timedelta(days=1)
    if centre.closed_on is not None and tomorrow > centre.closed_on:
        return None
    if places(centre, tomorrow).closed:
        return None
    return tomorrow


def send_reminders(centre: Centre) -> int:
    """Queue tomorrow's reminders not yet queued; returns how many this call queued."""
    tomorrow = tomorrow_if_due(centre)
    if tomorrow is None:
        return 0
    sent = 0
    due = Booking.objects.on(centre, tomorrow).filter(reminded_at__isnull=True).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            # The claim: of two ticks at once, one updates the row, the other finds it reminded (0 rows).
            if not Booking.objects.open().filter(pk=pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                continue
            booking = Booking.objects.select_related("volunteer__group", "centre", "base").get(pk=pk)
            mail_booking(booking, OutboundMail.Kind.BOOKING_REMINDER, triggered_by="reminder")
            sent += 1
    return sent


def send_all_reminders() -> int:
    return sum(send_reminders(centre)  # the nightly sweep: real centres only (訓練 is never booked for real)
               for centre in Centre.objects.real().exclude(status=Centre.Status.CLOSED))
