"""Dispatch test data: teams formed through the real service, needs ready for matching."""
from datetime import datetime, time

import pytest
from django.utils import timezone

from ops.dispatch.services import form_team
from ops.needs.models import NeedStatus
from tests import factories

# Tests run at any hour; a centre whose return deadline is the end of the day lets a dispatch "now"
# succeed. The deadline rule itself is tested with an explicit `at=`.
END_OF_DAY = time(23, 59, 59, 999999)


@pytest.fixture
def centre(db):
    return factories.make_centre(latest_return_time=END_OF_DAY)


def today(centre):
    return centre.today()


def at_local(centre, hour, minute=0):
    """An aware datetime today at the centre's local hour:minute."""
    return datetime.combine(today(centre), time(hour, minute), tzinfo=centre.tz)


def make_team(centre, size=3, *, skills=(), base=None, **attendance_kw):
    members = [factories.make_attendance(centre, factories.make_volunteer(skills=list(skills)),
                                         date=today(centre), base=base, **attendance_kw)
               for _ in range(size)]
    return form_team(centre=centre, on=today(centre), members=[m.pk for m in members], leader=members[0].pk,
                     base=base)


def make_ready_need(centre, people_needed=5, **kw):
    kw.setdefault("status", NeedStatus.READY)
    return factories.make_need(centre, people_needed=people_needed, **kw)


@pytest.fixture
def now():
    return timezone.now()
