"""The link at the foot of every mail to a volunteer: stop recruitment calls. Opening it shows a button (a
mail scanner that follows links must not stop anyone's calls); the button, or a mail client's one-click
POST (RFC 8058), stops them. The page names nobody: the link may have been forwarded."""
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from ops.volunteers.mailing import stop_calls, volunteer_of_stop_token


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
