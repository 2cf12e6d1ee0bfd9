"""The first run of an empty installation (no account, no centre): every page leads to /setup/, which creates the
first administrator and opens the first centre; it asks for the setup key, which only the server's operator has.

The key is derived from SECRET_KEY (no state to keep): `make run DEMO=0`, the compose `migrate` service's log and
`manage.py setup_url` print the whole URL with it. Whoever merely reaches the empty server on the LAN first does
not have it, so they cannot make themselves its administrator.
"""
from django.contrib.auth import get_user_model
from django.db import DatabaseError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from ops.centres.models import Centre

# Paths that work before the setup: the setup page itself, the language switch, static files, health, the API.
_BEFORE_SETUP = ("/setup/", "/i18n/", "/static/", "/tiles/", "/healthz", "/api/", "/favicon")


def setup_key() -> str:
    return salted_hmac("ops.staff.firstrun", "the first administrator", algorithm="sha256").hexdigest()[:32]


def key_matches(key) -> bool:
    return isinstance(key, str) and constant_time_compare(key, setup_key())


def setup_path() -> str:
    return f"{reverse('staff:setup')}?key={setup_key()}"


def has_accounts() -> bool:
    return get_user_model().objects.exists()


_set_up = False  # once an account or a centre exists the installation never becomes empty again: stop asking


def is_empty() -> bool:
    """No account and no centre: an installation nobody has set up yet."""
    global _set_up
    if _set_up:
        return False
    if has_accounts() or Centre.objects.exists():
        _set_up = True
        return False
    return True


def forget() -> None:
    """Ask the database again (tests that empty it)."""
    global _set_up
    _set_up = False


def _looks_empty() -> bool:
    """is_empty(), or False when the database cannot say (not migrated yet, or away): the page asked for
    answers as it would without this middleware (a page that needs the database then fails its own way: 503)."""
    try:
        return is_empty()
    except DatabaseError:
        return False


class FirstRunMiddleware:
    """On an empty installation a page visit goes to the setup page (which explains where its key is)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (not _set_up and request.method in ("GET", "HEAD") and not request.path.startswith(_BEFORE_SETUP)
                and _looks_empty()):
            return redirect("staff:setup")
        return self.get_response(request)
