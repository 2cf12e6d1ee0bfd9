"""Mail to a volunteer. Every one goes through the outbox (ops.messages.services.queue_mail) and ends with a
link that stops recruitment calls, also given as the List-Unsubscribe header (RFC 2369, one-click by RFC 8058).

The link carries a signed volunteer id, not the personal token: whoever holds a forwarded mail can stop the
calls and nothing else (no sign-in, no personal data on the page it opens).
"""
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail
from ops.volunteers.models import Volunteer
from ops.volunteers.qr import absolute

STOP_SALT = "volunteers.stop-calls"


def stop_calls_token(volunteer: Volunteer) -> str:
    return signing.dumps(volunteer.pk, salt=STOP_SALT)


def volunteer_of_stop_token(token: str) -> Volunteer | None:
    try:
        pk = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    return Volunteer.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def stop_calls_url(volunteer: Volunteer) -> str:
    return absolute(reverse("volunteers:stop_calls", kwargs={"token": stop_calls_token(volunteer)}))


def queue_volunteer_mail(volunteer: Volunteer, *, kind: str, subject: str, body: str, centre=None, about=None,
                         to=None, triggered_by: str = "") -> OutboundMail:
    """Queue a mail to the volunteer (or `to`: a group's address) with the stop-calls link at its foot."""
    url = stop_calls_url(volunteer)
    footer = _("募集のお知らせメールを停止する: %(url)s") % {"url": url}
    return queue_mail(kind=kind, to=[volunteer.email] if to is None else to, subject=subject,
                      body=f"{body.rstrip()}\n\n-- \n{footer}\n", centre=centre,
                      about=volunteer if about is None else about, triggered_by=triggered_by,
                      headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def stop_calls(volunteer: Volunteer) -> bool:
    """No more recruitment calls to this volunteer. True if it changed anything (a second click does not)."""
    with transaction.atomic():
        changed = Volunteer.objects.filter(pk=volunteer.pk, wants_calls=True).update(
            wants_calls=False, calls_stopped_at=timezone.now())
        if changed:
            audit.happened("volunteer.calls_stopped", volunteer, centre=volunteer.registered_centre_id,
                           actor="volunteer")
    return bool(changed)
