"""受付スキャン test data: a centre whose day runs to midnight, a coordinator, checked-in people, ready needs,
and a desk (a Django test client = one browser desk) that posts JSON to the desk's endpoints."""
import json

import pytest
from django.test import Client

from ops.centres.models import Role
from ops.desk.codes import need_code
from ops.volunteers.models import Group
from tests import factories
from tests.dispatch.conftest import END_OF_DAY, make_ready_need

PASSWORD = "correct-horse-battery"


@pytest.fixture
def desk_centre(db):
    return factories.make_centre(latest_return_time=END_OF_DAY)


@pytest.fixture
def coordinator(desk_centre):
    return factories.make_user(Role.COORDINATOR, desk_centre)


def person(centre, *, group=None, skills=(), **kw):
    """A volunteer checked in today at `centre`: their attendance."""
    volunteer = factories.make_volunteer(group=group, skills=list(skills))
    return factories.make_attendance(centre, volunteer, date=centre.today(), **kw)


def group(name="テスト建設", n=3):
    return Group.objects.create(name=name, leader_name="代表 一郎", phone="090-0000-1111", member_count=n)


def need(centre, people=4, **kw):
    return make_ready_need(centre, people_needed=people, **kw)


def personal_link(attendance) -> str:
    from django.urls import reverse

    from ops.volunteers.qr import absolute

    return absolute(reverse("volunteers:personal", kwargs={"token": attendance.volunteer.token}))


class Desk:
    """One browser desk: its own session (its own desk key)."""

    def __init__(self, centre, user=None):
        self.centre, self.client = centre, Client()
        if user is not None:
            self.client.force_login(user)

    def url(self, name):
        return f"/c/{self.centre.slug}/desk/{name}"

    def post(self, name, body):
        response = self.client.post(self.url(name), json.dumps(body), content_type="application/json")
        return response.status_code, response.json()

    def scan(self, thing):
        text = thing if isinstance(thing, str) else (
            need_code(thing) if hasattr(thing, "people_needed") else personal_link(thing))
        return self.post("scan.json", {"code": text})

    def send(self, **body):
        return self.post("dispatch.json", body)


@pytest.fixture
def make_desk(desk_centre, coordinator):
    return lambda user=coordinator: Desk(desk_centre, user)
