"""A volunteer is mailed when their booking is made or changed, and when it is cancelled: in Japanese, with
the centre, the date and weekday, the start time, where to come and what to bring, and their own page."""
from datetime import timedelta

import pytest

from ops.centres.closing import close_centre
from ops.centres.models import Base, Role
from ops.messages.models import OutboundMail
from ops.volunteers.mailing import day_label
from ops.volunteers.services import book, cancel_booking, register_group
from tests import factories

pytestmark = pytest.mark.django_db


def mails(kind=None):
    rows = OutboundMail.objects.order_by("pk")
    return list(rows.filter(kind=kind) if kind else rows)


@pytest.fixture
def centre(db):
    return factories.make_centre(address="テスト市本町1-1", what_to_bring="長靴\n革手袋\n飲み物")


@pytest.fixture
def volunteer(db):
    return factories.make_volunteer(email="taro@example.jp")


def test_a_booking_is_confirmed_by_mail_with_when_where_and_what_to_bring(centre, volunteer, tomorrow):
    booking = book(volunteer, centre, on=tomorrow)
    [mail] = mails()
    assert mail.kind == OutboundMail.Kind.BOOKING_CONFIRMED and mail.to == ["taro@example.jp"]
    assert mail.about == f"volunteers.booking:{booking.pk}"
    assert centre.name in mail.subject and day_label(tomorrow) in mail.subject
    for words in (day_label(tomorrow), "08:30", "テスト市本町1-1", "長靴", "革手袋", f"/v/{volunteer.token}/"):
        assert words in mail.body, words
    assert "List-Unsubscribe" in mail.headers and "/m/stop/" in mail.body


def test_the_same_booking_again_mails_nothing_a_change_mails_again(centre, volunteer, tomorrow):
    book(volunteer, centre, on=tomorrow)
    book(volunteer, centre, on=tomorrow)
    assert len(mails()) == 1
    satellite = Base.objects.create(centre=centre, name="第2拠点", kind=Base.Kind.SATELLITE, lat=36.6, lng=138.1,
                                    address="テスト市川沿い2-2")
    book(volunteer, centre, on=tomorrow, base=satellite)
    [_, changed] = mails(OutboundMail.Kind.BOOKING_CONFIRMED)
    assert "テスト市川沿い2-2" in changed.body and "第2拠点" in changed.body


def test_no_address_no_mail(centre, tomorrow):
    book(factories.make_volunteer(), centre, on=tomorrow)
    assert mails() == []


def test_a_groups_booking_goes_to_the_leader_and_the_groups_address_without_the_personal_link(centre, tomorrow):
    group = register_group(centre=centre, name="テスト商事", leader_name="山田 一郎", leader_kana="ヤマダ イチロウ",
                           phone="090-1111-2222", email="leader@example.jp", member_count=5, age_band="40s",
                           prefecture="長野県", city="テスト市")
    group.email = "soumu@example.jp"
    group.save()
    group.leader.refresh_from_db()
    book(group.leader, centre, on=tomorrow, head_count=5)
    leader, office = mails(OutboundMail.Kind.BOOKING_CONFIRMED)
    assert leader.to == ["leader@example.jp"] and f"/v/{group.leader.token}/" in leader.body
    assert office.to == ["soumu@example.jp"] and group.leader.token not in office.body
    assert "5人" in office.body


def test_cancelling_mails_the_volunteer_once(centre, volunteer, tomorrow):
    booking = book(volunteer, centre, on=tomorrow)
    cancel_booking(booking)
    cancel_booking(booking)
    [mail] = mails(OutboundMail.Kind.BOOKING_CANCELLED)
    assert day_label(tomorrow) in mail.subject and mail.to == ["taro@example.jp"]


def test_a_caller_with_its_own_mail_cancels_without_this_one(centre, volunteer, tomorrow):
    cancel_booking(book(volunteer, centre, on=tomorrow), notify=False)
    assert mails(OutboundMail.Kind.BOOKING_CANCELLED) == []


def test_closing_the_centre_mails_each_booking_once(centre, volunteer, tomorrow):
    book(volunteer, centre, on=tomorrow + timedelta(days=1))
    close_centre(centre, confirm_name=centre.name, by=factories.make_user())
    assert len(mails(OutboundMail.Kind.BOOKING_CANCELLED)) == 1


def test_a_cancellation_from_the_personal_page_is_mailed(client, centre, volunteer, tomorrow):
    booking = book(volunteer, centre, on=tomorrow)
    client.post(f"/v/{volunteer.token}/bookings/{booking.pk}/cancel/")
    assert len(mails(OutboundMail.Kind.BOOKING_CANCELLED)) == 1


def test_reception_reads_each_mails_delivery_state_on_the_card(client_as, centre, volunteer, tomorrow):
    booking = book(volunteer, centre, on=tomorrow)
    cancel_booking(booking)
    OutboundMail.objects.filter(kind=OutboundMail.Kind.BOOKING_CANCELLED).update(state="failed")
    other = factories.make_centre()
    book(volunteer, other, on=tomorrow)  # another centre's mail is not this desk's
    page = client_as(Role.RECEPTION).get(f"/c/{centre.slug}/volunteers/{volunteer.pk}/")
    mails = page.context["mails"]
    assert [(m.kind, m.state) for m in mails] == [("booking_cancelled", "failed"), ("booking_confirmed", "queued")]
    html = page.content.decode()
    assert "活動予約の取消" in html and "送信できませんでした" in html
