"""Which volunteers a reception desk may open: those its centre knows (registered, booked or attended here),
and those the receptionist has just met: found by a whole phone number, a scanned personal QR or a walk-in
registration. The meeting is remembered in the receptionist's session, so a volunteer's card (phone,
emergency contact) cannot be opened at another centre just by counting through ids.
"""
from django.http import Http404
from django.shortcuts import get_object_or_404

from ops.volunteers import selectors
from ops.volunteers.models import Volunteer

SESSION_KEY = "volunteers_met"
REMEMBERED = 200  # per centre, the most recent: a long day at a busy desk


def meet(request, centre, volunteers) -> None:
    """The receptionist has these volunteers in front of them (or on the screen from a whole-number search)."""
    met = request.session.get(SESSION_KEY, {})
    ids = [v.pk for v in volunteers]
    if not ids:
        return
    mine = [pk for pk in met.get(str(centre.pk), []) if pk not in ids] + ids
    met[str(centre.pk)] = mine[-REMEMBERED:]
    request.session[SESSION_KEY] = met


def volunteer_at_desk(request, centre, pk) -> Volunteer:
    """Volunteer `pk` if this desk may open them; a 404 otherwise (an id alone says nothing)."""
    met = pk in request.session.get(SESSION_KEY, {}).get(str(centre.pk), [])
    if not met and not selectors.volunteers_of(centre).filter(pk=pk).exists():
        raise Http404
    return get_object_or_404(Volunteer.objects.select_related("group"), pk=pk, personal_data_erased_at__isnull=True)
