"""Which volunteer holds this phone: their personal link sets a signed cookie with their token, so the
poster's QR knows them next time. No password, no session row: reading it costs no query."""
from django.conf import settings
from django.core import signing

from ops.volunteers.models import Volunteer
from ops.volunteers.selectors import the_one

COOKIE = "dvc_volunteer"
SALT = "ops.volunteers.identity"
MAX_AGE = 60 * 60 * 24 * 365  # a disaster's centre runs for months


def remember(response, volunteer: Volunteer) -> None:
    response.set_signed_cookie(COOKIE, volunteer.token, salt=SALT, max_age=MAX_AGE, httponly=True,
                               secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")


def forget(response) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def token_of(request) -> str | None:
    try:
        return request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None


def volunteer_of(request) -> Volunteer | None:
    token = token_of(request)
    if not token:
        return None
    return the_one(Volunteer.objects.filter(token=token, personal_data_erased_at__isnull=True).select_related("group"))
