"""Helpers for the volunteers tests: a registration's details, the day's code, a phone with a cookie."""
from datetime import timedelta

import pytest

from ops.centres.models import Event, Role
from ops.volunteers import codes
from ops.volunteers.models import Volunteer
from tests import factories


def details(**kw):
    """What a volunteer types into the registration form."""
    data = {
        "name": "山田 太郎", "kana": "ヤマダ タロウ", "phone": "090-1234-5678", "email": "",
        "age_band": Volunteer.AgeBand.THIRTIES, "prefecture": "長野県", "city": "長野市",
        "emergency_name": "山田 花子（妻）", "emergency_phone": "090-8765-4321",
        "insurance": Volunteer.Insurance.ENROLLED,
    }
    data.update(kw)
    return data


def form_data(**kw):
    data = details(**kw)
    data.setdefault("privacy", "on")
    return {k: v for k, v in data.items() if v is not None}


HEALTHY = {"no_fever": True, "feeling_well": True, "rested": True}
CHECKIN_FORM = {"no_fever": "on", "feeling_well": "on", "rested": "on", "insurance_confirmed": "on"}


def events(centre, kind):
    return list(Event.objects.filter(centre=centre, kind=kind).order_by("seq"))


@pytest.fixture
def today(centre):
    return centre.today()


@pytest.fixture
def tomorrow(today):
    return today + timedelta(days=1)


@pytest.fixture
def code(centre, today):
    return codes.daily_code(centre, today)


@pytest.fixture
def volunteer(db):
    return factories.make_volunteer()


@pytest.fixture
def reception_client(client_as):
    return client_as(Role.RECEPTION)


@pytest.fixture
def phone(client, volunteer):
    """A phone that has opened the volunteer's personal link."""
    client.get(f"/v/{volunteer.token}/")
    client.volunteer = volunteer
    return client
