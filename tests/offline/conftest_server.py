"""Outbox test data: a team out on a need with its slip, a checked-in volunteer, and posts as the phone's
outbox sends them (X-Submit-Key, Accept: application/json, typed_at)."""
import secrets

import pytest
from django.urls import reverse

from ops.dispatch.services import dispatch
from tests import factories
from tests.dispatch.conftest import END_OF_DAY, make_ready_need, make_team


@pytest.fixture
def centre(db):
    return factories.make_centre(latest_return_time=END_OF_DAY)


@pytest.fixture
def record(centre):
    need = make_ready_need(centre, phone="090-1111-2222", address="テスト市中央3-4-5")
    return dispatch(make_team(centre, 3), need)


def new_key() -> str:
    return secrets.token_urlsafe(16)


def slip_url(record) -> str:
    return reverse("dispatch:slip", kwargs={"token": record.slip_token})


REPORT = {"outcome": "completed", "people": 3, "hours": "3.5", "work_done": "泥出し完了", "injuries": 0,
          "heat_illness": 0}


def outbox_post(client, url, data, *, key=None, typed_at=None):
    """POST as the outbox does: the key in the header and the body, JSON asked for."""
    key = key or new_key()
    body = {**data, "submit_key": key}
    if typed_at is not None:
        body["typed_at"] = typed_at.isoformat()
    return client.post(url, body, HTTP_X_SUBMIT_KEY=key, HTTP_ACCEPT="application/json")


@pytest.fixture
def attendance(centre):
    """A volunteer checked in three hours ago at the centre, today."""
    from datetime import timedelta

    from django.utils import timezone

    return factories.make_attendance(centre, factories.make_volunteer(), date=centre.today(),
                                     checked_in_at=timezone.now() - timedelta(hours=3))


def checkout_url(attendance) -> str:
    return reverse("volunteers:checkout", kwargs={"token": attendance.volunteer.token,
                                                  "centre": attendance.centre.slug})
