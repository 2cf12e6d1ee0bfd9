"""The volunteer's side of the prefecture (tests/prefecture/test_volunteer_*.py): one disaster with two open
centres, offered dates at each, a bus, and a phone that registered at the disaster's one registration point."""
from datetime import time, timedelta

import pytest
from django.test import Client

from ops.prefecture.services.buses import add_bus
from ops.prefecture.services.offerings import open_offering
from ops.volunteers.models import Volunteer
from tests import factories
from tests.volunteers.conftest import form_data


@pytest.fixture
def disaster(db):
    return factories.make_disaster(name="令和8年7月豪雨")


@pytest.fixture
def centre_a(disaster):
    return factories.make_centre(disaster=disaster, name="A市災害ボランティアセンター", municipality="A市")


@pytest.fixture
def centre_b(disaster):
    return factories.make_centre(disaster=disaster, name="B町災害ボランティアセンター", municipality="B町")


def offer(centre, *, days=2, places=3, **kw):
    return open_offering(centre, on=centre.today() + timedelta(days=days), places_n=places, **kw)


def bus_to(offering, *, hub="長野駅東口", seats=2, at=time(7, 0)):
    return add_bus(offering.centre, on=offering.date, hub=hub, departs_at=at, seats=seats)


def register_at(disaster, client=None, **details):
    """A phone registers at /d/<disaster>/register/; returns (client signed in, volunteer)."""
    client = client or Client()
    data = form_data(**details)
    response = client.post(f"/d/{disaster.pk}/register/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client, Volunteer.objects.get(phone=data["phone"])


def personal(client, volunteer, **kw):
    return client.get(f"/v/{volunteer.token}/", **kw)


def apply_page(client, volunteer, offering, bus=None, **kw):
    data = {"offering": offering.pk}
    if bus is not None:
        data["bus"] = bus.pk
    return client.post(f"/v/{volunteer.token}/apply/", data, **kw)
