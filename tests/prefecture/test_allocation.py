"""The prefecture's offerings, applications and allocation (ops.prefecture.services), on the real database."""
from datetime import time, timedelta

import pytest

from ops.messages.models import OutboundMail
from ops.prefecture.models import Application, Offering
from ops.prefecture.services import PrefectureRefused
from ops.prefecture.services.allocation import allocate, draw_order
from ops.prefecture.services.buses import add_bus
from ops.prefecture.services.offerings import apply, cancel_application, open_offering
from ops.prefecture.services.outcomes import mail_outcomes
from ops.volunteers.models import Booking
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services.booking import book, cancel_booking
from ops.volunteers.services.capacity import places
from tests.factories import make_centre, make_disaster, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return make_centre(daily_capacity=50)


def tomorrow(centre):
    return centre.today() + timedelta(days=1)


def applicants(offering, n, **kw):
    return [apply(make_volunteer(email=f"v{i}@example.jp", **kw), offering) for i in range(n)]


def test_fits_first_come_everyone_placed_with_a_booking(centre):
    offering = open_offering(centre, on=tomorrow(centre), places_n=5)
    apps = applicants(offering, 3)
    result = allocate(offering.pk)
    assert (result.method, result.allocated, result.waiting) == ("first_come", 3, 0)
    for a in apps:
        a.refresh_from_db()
        assert a.status == Application.Status.ALLOCATED and a.booking.cancelled_at is None
    assert places(centre, tomorrow(centre)).booked_waiting == 3


def test_oversubscribed_draw_is_reproducible_from_the_seed(centre):
    offering = open_offering(centre, on=tomorrow(centre), places_n=4, method=Offering.Method.DRAW)
    apps = applicants(offering, 10)
    result = allocate(offering.pk)
    offering.refresh_from_db()
    assert (result.method, result.allocated, result.waiting) == ("draw", 4, 6)
    expected = draw_order([a.pk for a in apps], offering.seed)
    ranked = list(Application.objects.filter(offering=offering).order_by("rank").values_list("pk", flat=True))
    assert ranked == expected
    winners = set(Application.objects.filter(offering=offering, status="allocated").values_list("pk", flat=True))
    assert winners == set(expected[:4])
    assert expected != [a.pk for a in apps]  # a draw, not the arrival order (10! orders; this seed is not identity)


def test_oversubscribed_first_come_keeps_arrival_order(centre):
    offering = open_offering(centre, on=tomorrow(centre), places_n=2, method=Offering.Method.FIRST_COME)
    apps = applicants(offering, 4)
    allocate(offering.pk)
    statuses = [Application.objects.get(pk=a.pk).status for a in apps]
    assert statuses == ["allocated", "allocated", "waiting", "waiting"]


def test_allocating_twice_gives_each_place_once(centre):
    offering = open_offering(centre, on=tomorrow(centre), places_n=3)
    applicants(offering, 5)
    first, second = allocate(offering.pk), allocate(offering.pk)
    assert not first.already and first.allocated == 3
    assert second.already and (second.allocated, second.waiting) == (3, 2)
    assert Booking.objects.filter(centre=centre, date=offering.date).count() == 3


def test_cancellation_moves_the_waiting_list_and_mails_once(centre):
    offering = open_offering(centre, on=tomorrow(centre), places_n=2, method=Offering.Method.FIRST_COME)
    apps = applicants(offering, 4)
    allocate(offering.pk)
    assert mail_outcomes(offering.pk) == 4
    assert mail_outcomes(offering.pk) == 0  # told once
    cancel_application(apps[0])
    assert Application.objects.get(pk=apps[2].pk).status == "allocated"
    assert Application.objects.get(pk=apps[3].pk).status == "waiting"
    assert Booking.objects.get(pk=Application.objects.get(pk=apps[0].pk).booking_id).cancelled_at is not None
    assert mail_outcomes(offering.pk) == 2  # the cancelled one, the one who moved up
    mails = OutboundMail.objects.filter(kind=OutboundMail.Kind.ALLOCATION)
    assert mails.count() == 6
    assert all("様" in m.body and "example.jp" in m.to[0] for m in mails)
    assert places(centre, offering.date).booked_waiting == 2


def test_a_booking_cancelled_from_the_volunteers_page_frees_the_place_too(centre):
    offering = open_offering(centre, on=tomorrow(centre), places_n=1, method=Offering.Method.FIRST_COME)
    apps = applicants(offering, 2)
    allocate(offering.pk)
    cancel_booking(Application.objects.get(pk=apps[0].pk).booking)
    assert Application.objects.get(pk=apps[0].pk).status == "cancelled"
    assert Application.objects.get(pk=apps[1].pk).status == "allocated"


def test_late_application_gets_a_place_left_or_waits(centre):
    offering = open_offering(centre, on=tomorrow(centre), places_n=2)
    applicants(offering, 1)
    allocate(offering.pk)
    late = applicants(offering, 2)
    assert [Application.objects.get(pk=a.pk).status for a in late] == ["allocated", "waiting"]


def test_bus_seats_go_with_places(centre):
    day = tomorrow(centre)
    bus = add_bus(centre, on=day, hub="長野駅東口", departs_at=time(7, 0), seats=2)
    offering = open_offering(centre, on=day, places_n=10, method=Offering.Method.FIRST_COME)
    riders = [apply(make_volunteer(email=f"b{i}@example.jp"), offering, bus=bus) for i in range(3)]
    walker = apply(make_volunteer(), offering)
    result = allocate(offering.pk)
    got = [Application.objects.get(pk=a.pk) for a in riders]
    assert [a.status for a in got] == ["allocated", "allocated", "waiting"]
    assert sorted(a.seat for a in got[:2]) == [1, 2]
    assert Application.objects.get(pk=walker.pk).status == "allocated"
    assert result.method == "first_come"


def test_refusals_write_nothing(centre):
    day = tomorrow(centre)
    with pytest.raises(PrefectureRefused) as refused:
        open_offering(centre, on=day, places_n=51)
    assert refused.value.field == "places"
    with pytest.raises(PrefectureRefused):
        open_offering(centre, on=centre.today(), places_n=5)
    offering = open_offering(centre, on=day, places_n=5)
    with pytest.raises(PrefectureRefused):
        open_offering(centre, on=day, places_n=5)
    scoped = make_centre(recruitment_scope="city", disaster=centre.disaster)
    far = open_offering(scoped, on=tomorrow(scoped), places_n=5)
    with pytest.raises(PrefectureRefused) as refused:
        apply(make_volunteer(prefecture="東京都", city="新宿区"), far)
    assert refused.value.code == "out_of_scope"
    other_bus = add_bus(scoped, on=tomorrow(scoped), hub="松本駅", departs_at=time(7), seats=5)
    with pytest.raises(PrefectureRefused) as refused:
        apply(make_volunteer(), offering, bus=other_bus)
    assert refused.value.field == "bus"
    assert Application.objects.count() == 0 and Offering.objects.count() == 2


def test_a_volunteers_own_booking_of_an_offered_day_goes_through_the_prefecture(centre):
    day = tomorrow(centre)
    open_offering(centre, on=day, places_n=5)
    with pytest.raises(VolunteerError) as refused:
        book(make_volunteer(), centre, on=day)
    assert refused.value.code == "offering"


def test_one_registration_is_known_at_every_centre_of_the_disaster():
    from ops.volunteers.selectors import volunteers_of
    from ops.volunteers.services.registration import register_volunteer

    disaster = make_disaster()
    a, b = make_centre(disaster=disaster), make_centre(disaster=disaster)
    other = make_centre()
    v = register_volunteer(name="県 太郎", kana="ケン タロウ", age_band="30s", prefecture="長野県", city="長野市",
                           phone="090-1111-2222", disaster=disaster)
    assert v.registered_disaster == disaster and v.registered_centre is None
    assert volunteers_of(a).filter(pk=v.pk).exists() and volunteers_of(b).filter(pk=v.pk).exists()
    assert not volunteers_of(other).filter(pk=v.pk).exists()


def test_one_place_a_day_across_the_disasters_centres():
    disaster = make_disaster()
    a, b = make_centre(disaster=disaster), make_centre(disaster=disaster)
    day = tomorrow(a)
    here, there = open_offering(a, on=day, places_n=5), open_offering(b, on=day, places_n=5)
    volunteer = make_volunteer()
    apply(volunteer, here)
    with pytest.raises(PrefectureRefused) as refused:
        apply(volunteer, there)
    assert refused.value.code == "same_day" and a.name in refused.value.message
    cancel_application(Application.objects.get(volunteer=volunteer))
    assert apply(volunteer, there).offering == there  # free again once the first is cancelled
    with pytest.raises(PrefectureRefused):
        apply(volunteer, here)  # the cancelled one does not come back while the other day holds
    assert Application.objects.live().filter(volunteer=volunteer).count() == 1


def test_a_place_cancelled_on_the_volunteers_page_is_mailed_once(centre):
    offering = open_offering(centre, on=tomorrow(centre), places_n=1, method=Offering.Method.FIRST_COME)
    first, second = applicants(offering, 2)
    allocate(offering.pk)
    mail_outcomes(offering.pk)
    cancel_booking(Application.objects.get(pk=first.pk).booking)  # its own mail: 活動予約の取消
    assert mail_outcomes(offering.pk) == 1  # the one who moved up; the cancelled one was told by the booking's mail
    to_first = OutboundMail.objects.filter(to=[first.volunteer.email]).values_list("kind", flat=True)
    assert sorted(to_first) == ["allocation", "booking_cancelled"]


def test_each_waiting_mail_says_its_place_in_the_list(centre):
    offering = open_offering(centre, on=tomorrow(centre), places_n=2, method=Offering.Method.FIRST_COME)
    apps = applicants(offering, 5)
    allocate(offering.pk)
    mail_outcomes(offering.pk, batch=2)  # batches smaller than the list: each reads the list once
    for n, application in enumerate(apps[2:], start=1):
        body = OutboundMail.objects.get(to=[application.volunteer.email]).body
        assert f"キャンセル待ち（{n}番目）" in body
