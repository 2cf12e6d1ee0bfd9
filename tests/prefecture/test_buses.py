# ruff: noqa: F811  (the fixture imported from conftest_offerbus is the tests' argument)
"""The prefecture staff's bus pages: adding a bus, changing its running status (each rider mailed once, a
stale form mails nobody), and who may open them."""
from datetime import time

import pytest

from ops.centres.models import Role
from ops.messages.models import OutboundMail
from ops.prefecture.models import BusDeparture, PrefectureMembership
from ops.prefecture.services.allocation import allocate
from tests.factories import make_centre, make_user
from tests.prefecture.conftest_offerbus import pref  # noqa: F401

pytestmark = pytest.mark.django_db


def bus_form(pref, **over):
    data = {"centre": pref.centre.pk, "date": pref.tomorrow.isoformat(), "hub": "松本駅", "departs_at": "06:30",
            "seats": "40", "operator": "アルプス交通"}
    return {**data, **over}


def test_adding_a_bus_from_the_page(pref):
    answer = pref.client.post(pref.url("bus_list"), bus_form(pref))
    bus = BusDeparture.objects.get()
    assert answer.status_code == 302 and answer["Location"] == pref.url("bus_detail", pk=bus.pk)
    assert (bus.hub, bus.departs_at, bus.seats, bus.operator) == ("松本駅", time(6, 30), 40, "アルプス交通")
    listing = pref.client.get(pref.url("bus_list")).content.decode()
    assert "松本駅" in listing and "0 / 40 席" in listing


@pytest.mark.parametrize(("over", "field"), [({"seats": "120"}, "seats"), ({"hub": "   "}, "hub"),
                                             ({"date": "2020-01-01"}, "date"), ({"departs_at": "25:61"}, "departs_at")])
def test_a_refused_bus_keeps_the_input_and_writes_nothing(pref, over, field):
    answer = pref.client.post(pref.url("bus_list"), bus_form(pref, **over))
    assert answer.status_code == 400 and field in answer.context["form"].errors
    assert 'value="アルプス交通"' in answer.content.decode()
    assert not BusDeparture.objects.exists()


def riding(pref, n=3, seats=10):
    """An offering with a bus, `n` riders allocated seats."""
    offering = pref.offering(places=10)
    bus = pref.bus(seats=seats)
    people = pref.applicants(offering, n, bus=bus)
    allocate(offering.pk)
    return bus, people


def test_a_delay_mails_each_rider_once(pref):
    bus, people = riding(pref, n=3)
    answer = pref.client.post(pref.url("bus_detail", pk=bus.pk), {
        "status": "delayed", "delay_minutes": "30", "note": "渋滞のため", "version": str(bus.version)}, follow=True)
    assert "乗車する 3人にメールでお知らせします" in answer.content.decode()
    mails = OutboundMail.objects.filter(kind=OutboundMail.Kind.BUS_NOTICE)
    assert sorted(address for m in mails for address in m.to) == sorted(a.volunteer.email for a in people)
    bus.refresh_from_db()
    assert (bus.status, bus.delay_minutes, bus.status_note) == ("delayed", 30, "渋滞のため")
    assert answer.context["mails"] == [("送信待ち", 3)]  # the notices by delivery state, on the bus's page


def test_a_stale_form_says_so_and_mails_nobody(pref):
    bus, _people = riding(pref, n=2)
    first = {"status": "cancelled", "delay_minutes": "", "note": "", "version": str(bus.version)}
    pref.client.post(pref.url("bus_detail", pk=bus.pk), first)
    sent = OutboundMail.objects.filter(kind=OutboundMail.Kind.BUS_NOTICE).count()
    again = pref.client.post(pref.url("bus_detail", pk=bus.pk), {**first, "status": "scheduled"}, follow=True)
    assert "ほかの人が先に変更しました" in again.content.decode()
    assert OutboundMail.objects.filter(kind=OutboundMail.Kind.BUS_NOTICE).count() == sent == 2
    assert BusDeparture.objects.get().status == "cancelled"


def test_a_delay_without_minutes_is_refused_on_its_field(pref):
    bus = pref.bus()
    answer = pref.client.post(pref.url("bus_detail", pk=bus.pk), {
        "status": "delayed", "delay_minutes": "", "note": "残す", "version": str(bus.version)})
    assert answer.status_code == 400 and "delay_minutes" in answer.context["form"].errors
    assert 'value="残す"' in answer.content.decode()
    assert BusDeparture.objects.get().version == bus.version


def test_the_bus_page_says_how_many_ride(pref):
    bus, _people = riding(pref, n=2)
    page = pref.client.get(pref.url("bus_detail", pk=bus.pk)).content.decode()
    assert "乗車 2人 / 10 席" in page and "信州観光バス" in page


def test_staff_of_another_disaster_and_centre_staff_are_refused(pref, client):
    bus = pref.bus()
    stranger = make_user()
    PrefectureMembership.objects.create(user=stranger, disaster=make_centre().disaster)
    for user in (stranger, make_user(Role.ADMIN, pref.centre)):
        client.force_login(user)
        for name in ("bus_list", "bus_detail", "bus_roster", "bus_roster_xlsx", "bus_roster_csv"):
            kw = {} if name == "bus_list" else {"pk": bus.pk}
            assert client.get(pref.url(name, **kw)).status_code == 403, name
        assert client.post(pref.url("bus_detail", pk=bus.pk), {
            "status": "cancelled", "version": str(bus.version)}).status_code == 403
    assert BusDeparture.objects.get().status == "scheduled"
