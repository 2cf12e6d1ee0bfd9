"""Staff login lockout: django-axes counts failures per (username, address) and locks that pair at
AXES_FAILURE_LIMIT; this handler also locks a username at LOGIN_USERNAME_FAILURE_LIMIT failures from any
addresses within the cool-off, so spreading guesses over many addresses gains nothing.

The per-username limit is higher: anyone can type a staff member's username, and a low one would let them
lock that person out at 8:30. `manage.py axes_reset_username <username>` lifts both (README "Staff accounts").
"""
from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


def username_failures(request, credentials=None) -> int:
    username = get_client_username(request, credentials)
    if not username:
        return 0
    attempts = AccessAttempt.objects.filter(username=username)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def username_locked(request, credentials=None) -> bool:
    return username_failures(request, credentials) >= settings.LOGIN_USERNAME_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or username_locked(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and username_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request, username=get_client_username(request, credentials),
                                 ip_address=request.axes_ip_address)
