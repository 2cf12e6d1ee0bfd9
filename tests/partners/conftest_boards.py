"""Data for the boards' tests of 三者連携 (tests/partners/test_boards_*.py): organisations and jobs made through
the real services (ops.partners.services), never by writing rows."""
from datetime import timedelta

import pytest

from ops.centres.models import Role
from ops.needs.models import NeedStatus, WorkType
from ops.partners import services
from ops.partners.models import Capability
from tests import factories
from tests.dispatch.conftest import END_OF_DAY

ORG_PHONE = "03-9999-0001"
ORG_CONTACT = "担当 次郎"
JOB_NOTE = "はしご2本。屋根の北側が破損"


@pytest.fixture
def centre(db):
    return factories.make_centre(latest_return_time=END_OF_DAY)


@pytest.fixture
def coordinator(centre):
    return factories.make_user(Role.COORDINATOR, centre)


def make_org(centre, name="NPO 屋根班", capabilities=(Capability.ROOF,), *, by=None):
    return services.save_organisation(centre, by=by, name=name, capabilities=list(capabilities),
                                      contact_name=ORG_CONTACT, phone=ORG_PHONE, email="roof@example.org",
                                      notes="鍵は代表が保管")


def tarp_need(centre, **kw):
    kw.setdefault("status", NeedStatus.READY)
    kw.setdefault("work_types", ["tarp"])
    return factories.make_need(centre, **kw)


def offer_tarp(need, org, by):
    """The tarp work of `need` offered to `org`, with a note (a partner job's free text)."""
    return services.offer(need, org, by=by, work_type=WorkType.objects.get(code="tarp"), note=JOB_NOTE)


def scheduled(job, by, days=2):
    job = services.accept(job, by=by)
    return services.schedule(job, by=by, on=job.centre.today() + timedelta(days=days), note="午前中")
