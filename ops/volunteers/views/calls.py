"""募集のお知らせ: staff call pre-registered volunteers by mail (Cap.MANAGE_CENTRE: the call speaks for the
centre to thousands of people, as the recruitment status does). And the link at the foot of every mail to a
volunteer: stop recruitment calls. Opening that link shows a button (a mail scanner that follows links must
not stop anyone's calls); the button, or a mail client's one-click POST (RFC 8058), stops them. That page
names nobody: the link may have been forwarded."""
import secrets

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ops.permissions import Cap, centre_view
from ops.volunteers import services
from ops.volunteers.forms import CallForm
from ops.volunteers.mailing import day_label, stop_calls, volunteer_of_stop_token
from ops.volunteers.models import RecruitmentCall
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import calls as call_service


@require_http_methods(["GET", "HEAD", "POST"])
@centre_view(Cap.MANAGE_CENTRE)
def calls(request, centre):
    """Pick the days, see how many it reaches (確認), send (送信); past calls with their mails' states."""
    days = [(d, day_label(d)) for d in services.bookable_days(centre)]
    form = CallForm(request.POST or None, days=days, initial={"nonce": secrets.token_urlsafe(24)})
    reach = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send":
                call, created = call_service.make_call(centre, days=data["days"], message=data["message"],
                                                       by=request.user, nonce=data["nonce"])
                if created:
                    messages.success(request, _("募集のお知らせを%(n)d人に送ります。") % {"n": call.recipients_count})
                return redirect("volunteers:calls", centre=centre.slug)
            call_service.check_call(centre, days=data["days"], message=data["message"])
            reach = len(call_service.recipients(centre, data["days"]))
        except VolunteerError as exc:
            form.add_error("message" if exc.code == "message" else "days" if exc.code == "days" else None,
                           exc.message)
    past = list(RecruitmentCall.objects.filter(centre=centre).select_related("by").order_by("-created_at")[:20])
    delivery = call_service.delivery_by_call(past)
    rows = [{"call": c, "days": [day_label(d) for d in c.dates], "sent": delivery[c.pk].get("sent", 0),
             "waiting": delivery[c.pk].get("queued", 0) + delivery[c.pk].get("sending", 0),
             "failed": delivery[c.pk].get("failed", 0) + delivery[c.pk].get("unknown", 0)} for c in past]
    return render(request, "volunteers/calls.html", {"form": form, "reach": reach, "rows": rows})


@never_cache
@csrf_exempt  # the signed token is the key; a one-click POST from a mail client carries no CSRF cookie
def stop(request, token):
    volunteer = volunteer_of_stop_token(token)
    if volunteer is None:
        raise Http404
    if request.method == "POST":
        stop_calls(volunteer)
        return render(request, "volunteers/calls_stopped.html", {"done": True})
    if request.method != "GET":
        raise Http404
    return render(request, "volunteers/calls_stopped.html", {"done": not volunteer.wants_calls})
