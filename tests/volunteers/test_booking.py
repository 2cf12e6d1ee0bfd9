"""事前予約: from tomorrow, up to two weeks ahead, once per day, cancellable."""
from datetime import timedelta

import pytest

from ops.centres.models import Centre
from ops.volunteers.models import Booking, Volunteer
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import book, cancel_booking, places
from ops.volunteers.services.booking import BOOKING_DAYS_AHEAD
from tests import factories
from tests.volunteers.conftest import events

pytestmark = pytest.mark.django_db


def test_book_tomorrow(centre, volunteer, tomorrow):
    booking = book(volunteer, centre, on=tomorrow)
    assert booking.created and booking.date == tomorrow
    assert places(centre, tomorrow).used == 1
    [event] = events(centre, "booking.saved")
    assert event.payload["booking"]["head_count"] == 1
    assert event.public == {"booked": {tomorrow.isoformat(): 1}}  # the public board's places left move live


def test_booking_twice_is_one_booking(centre, volunteer, tomorrow):
    book(volunteer, centre, on=tomorrow)
    again = book(volunteer, centre, on=tomorrow)
    assert again.created is False
    assert Booking.objects.count() == 1


def test_no_booking_for_today_or_beyond_two_weeks(centre, volunteer, today):
    with pytest.raises(VolunteerError):
        book(volunteer, centre, on=today)
    with pytest.raises(VolunteerError):
        book(volunteer, centre, on=today + timedelta(days=BOOKING_DAYS_AHEAD + 1))
    assert book(volunteer, centre, on=today + timedelta(days=BOOKING_DAYS_AHEAD)).created


def test_no_booking_after_the_centre_closes(centre, volunteer, today):
    centre.closed_on = today + timedelta(days=2)
    centre.save()
    with pytest.raises(VolunteerError):
        book(volunteer, centre, on=today + timedelta(days=3))


def test_no_booking_when_not_recruiting(centre, volunteer, tomorrow):
    centre.recruitment_status = Centre.Recruitment.NONE
    centre.save()
    with pytest.raises(VolunteerError) as err:
        book(volunteer, centre, on=tomorrow)
    assert err.value.code == "not_recruiting"


def test_booking_follows_the_age_rule(centre, tomorrow):
    young = factories.make_volunteer(age_band=Volunteer.AgeBand.UNDER_15, guardian_consent=True)
    with pytest.raises(VolunteerError):
        book(young, centre, on=tomorrow)


def test_cancelling_frees_the_place(centre, volunteer, tomorrow):
    centre.daily_capacity = 1
    centre.save()
    booking = book(volunteer, centre, on=tomorrow)
    cancel_booking(booking)
    assert places(centre, tomorrow).used == 0
    assert book(factories.make_volunteer(), centre, on=tomorrow).created
    with pytest.raises(VolunteerError):
        book(volunteer, centre, on=tomorrow)  # their old place went to someone else


def test_booked_volunteer_books_from_the_phone(phone, centre, tomorrow):
    response = phone.post(f"/p/{centre.slug}/volunteers/book/", {"date": tomorrow.isoformat()}, follow=True)
    assert response.status_code == 200
    assert Booking.objects.get().volunteer == phone.volunteer
    assert "予約しました" in response.content.decode()


def test_phone_without_a_link_is_sent_to_register_before_booking(client, centre):
    response = client.get(f"/p/{centre.slug}/volunteers/book/")
    assert response.status_code == 302
    assert "/volunteers/register/" in response.url


def test_volunteer_cancels_from_the_personal_page(phone, centre, tomorrow):
    booking = book(phone.volunteer, centre, on=tomorrow)
    phone.post(f"/v/{phone.volunteer.token}/bookings/{booking.pk}/cancel/")
    booking.refresh_from_db()
    assert booking.cancelled_at is not None


def test_the_bookings_page_says_whom_staff_must_phone(client_as, centre, tomorrow):
    """A 活動中止 or a reminder reaches those with an address by mail; reception sees whom to phone instead."""
    from ops.centres.models import Role

    mailed = factories.make_volunteer(name="メール 有子", email="yuko@example.jp")
    unmailed = factories.make_volunteer(name="電話 待男", email="", phone="090-3333-4444")
    book(mailed, centre, on=tomorrow)
    book(unmailed, centre, on=tomorrow)
    text = client_as(Role.RECEPTION).get(f"/c/{centre.slug}/volunteers/bookings/",
                                         {"date": tomorrow.isoformat()}).content.decode()
    rows = {name: next(r for r in text.split("<tr>") if name in r) for name in ("電話 待男", "メール 有子")}
    assert "メールなし" in rows["電話 待男"] and 'href="tel:090-3333-4444"' in rows["電話 待男"]
    assert "メールなし" not in rows["メール 有子"]
