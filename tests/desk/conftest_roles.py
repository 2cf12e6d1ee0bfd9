"""デスク担当 fixtures: a centre with a coordinator and a volunteer checked in today (on their own phone)."""
from dataclasses import dataclass

import pytest
from django.test import Client

from ops.centres.models import Role
from tests import factories
from tests.dispatch.conftest import END_OF_DAY


@dataclass
class Desk:
    centre: object
    coordinator: object
    intake: object
    volunteer: object
    attendance: object

    def staff(self, user=None) -> Client:
        client = Client()
        client.force_login(user or self.coordinator)
        return client

    def phone(self) -> Client:
        """The volunteer's phone: opening their personal link signs it in (the identity cookie)."""
        client = Client()
        client.get(f"/v/{self.volunteer.token}/")
        return client


@pytest.fixture
def desk(db) -> Desk:
    centre = factories.make_centre(latest_return_time=END_OF_DAY)
    volunteer = factories.make_volunteer(name="机上 担当", kana="キジョウ タントウ", registered_centre=centre)
    return Desk(centre=centre, coordinator=factories.make_user(Role.COORDINATOR, centre),
                intake=factories.make_user(Role.INTAKE, centre), volunteer=volunteer,
                attendance=factories.make_attendance(centre, volunteer, date=centre.today()))
