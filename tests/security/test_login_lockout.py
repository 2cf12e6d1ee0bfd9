"""Staff login lockout: per username and address (a few failures), and per username from any address (more).

The per-username count stops a guesser who spreads attempts over many addresses (a botnet, or a carrier's
shared Wi-Fi); `manage.py axes_reset_username <name>` lifts both for a staff member who is locked out.
"""
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from ops.centres.models import Role
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def log_in(username, password, address):
    response = Client(REMOTE_ADDR=address).post(reverse("login"), {"username": username, "password": password})
    return {302: "signed in", 429: "locked"}.get(response.status_code, "refused")


@pytest.fixture
def user(centre):
    return factories.make_user(Role.COORDINATOR, centre, username="lockout-target", password=PASSWORD)


def test_five_failures_from_one_address_lock_that_address_only(user):
    assert [log_in(user.username, "wrong", "198.51.100.1") for _ in range(5)] == ["refused"] * 4 + ["locked"]
    assert log_in(user.username, PASSWORD, "198.51.100.1") == "locked"
    assert log_in(user.username, PASSWORD, "198.51.100.2") == "signed in"


@override_settings(LOGIN_USERNAME_FAILURE_LIMIT=20)
def test_failures_spread_over_many_addresses_lock_the_username(user):
    for n in range(20):
        log_in(user.username, "wrong", f"198.51.100.{n}")
    assert log_in(user.username, PASSWORD, "203.0.113.9") == "locked"
    assert log_in("someone-else", "wrong", "203.0.113.9") == "refused"  # other usernames are not affected


@override_settings(LOGIN_USERNAME_FAILURE_LIMIT=20)
def test_fewer_failures_than_the_username_limit_leave_it_open(user):
    for n in range(19):
        log_in(user.username, "wrong", f"198.51.100.{n}")
    assert log_in(user.username, PASSWORD, "203.0.113.9") == "signed in"


@override_settings(LOGIN_USERNAME_FAILURE_LIMIT=20)
def test_axes_reset_username_lifts_the_lockout(user):
    for n in range(20):
        log_in(user.username, "wrong", f"198.51.100.{n}")
    assert log_in(user.username, PASSWORD, "198.51.100.1") == "locked"
    call_command("axes_reset_username", user.username, stdout=StringIO())
    assert log_in(user.username, PASSWORD, "198.51.100.1") == "signed in"
