"""Fixtures for the prefecture's offering and bus pages: a disaster with a centre, its prefecture staff
member signed in, and volunteers who applied (with or without a bus)."""
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.test import Client

from ops.centres.models import Role
from ops.prefecture.models import PrefectureMembership
from ops.prefecture.services.buses import add_bus
from ops.prefecture.services.offerings import apply, open_offering
from tests.factories import make_centre, make_user, make_volunteer

HEALTHY = {"no_fever": True, "feeling_well": True, "rested": True}


@dataclass
class Pref:
    centre: object
    disaster: object
    staff: object
    client: Client

    @property
    def tomorrow(self):
        return self.centre.today() + timedelta(days=1)

    def url(self, name, **kw):
        from django.urls import reverse

        return reverse(f"pref_ops:{name}", kwargs={"disaster": self.disaster.pk, **kw})

    def offering(self, places=3, **kw):
        return open_offering(self.centre, on=kw.pop("on", self.tomorrow), places_n=places, **kw)

    def bus(self, seats=10, **kw):
        return add_bus(self.centre, on=kw.pop("on", self.tomorrow), hub=kw.pop("hub", "長野駅東口"),
                       departs_at=time(7, 0), seats=seats, operator=kw.pop("operator", "信州観光バス"), **kw)

    def applicants(self, offering, n, bus=None, **kw):
        return [apply(make_volunteer(email=f"a{offering.pk}-{i}@example.jp", **kw), offering, bus=bus)
                for i in range(n)]

    def reception(self, role=Role.RECEPTION, centre=None):
        client = Client()
        client.force_login(make_user(role, centre or self.centre))
        return client


@pytest.fixture
def pref(db):
    centre = make_centre(daily_capacity=50)
    staff = make_user(first_name="県職員")
    PrefectureMembership.objects.create(user=staff, disaster=centre.disaster)
    client = Client()
    client.force_login(staff)
    return Pref(centre=centre, disaster=centre.disaster, staff=staff, client=client)
