"""The reminder the evening before: after 17:00 on the centre's clock, one mail per open booking of tomorrow,
never twice (two beat ticks at once), never for a 休止日 or a day after the centre closes."""
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from ops.centres.models import CapacityDay
from ops.messages.models import OutboundMail
from ops.volunteers.mailing import day_label
from ops.volunteers.models import Booking
from ops.volunteers.services import book, cancel_booking
from ops.volunteers.services.reminders import REMINDER_TIME, send_all_reminders, send_reminders
from tests import factories
from tests.conftest import run_together


def reminders():
    return list(OutboundMail.objects.filter(kind=OutboundMail.Kind.BOOKING_REMINDER).order_by("pk"))


def at(centre, clock: time, monkeypatch):
    """Set the wall clock to `clock` on the centre's today."""
    moment = datetime.combine(centre.today(), clock, tzinfo=centre.tz)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment.date()


@pytest.fixture
def centre(db):
    return factories.make_centre(address="テスト市本町1-1", what_to_bring="長靴")


@pytest.mark.django_db
def test_the_evening_before_each_booking_gets_one_reminder(centre, monkeypatch):
    today = at(centre, time(16, 0), monkeypatch)
    tomorrow = today + timedelta(days=1)
    booked = [book(factories.make_volunteer(email=f"v{i}@example.jp"), centre, on=tomorrow) for i in range(3)]
    later = book(factories.make_volunteer(email="later@example.jp"), centre, on=tomorrow + timedelta(days=1))
    cancel_booking(booked[2])
    assert send_reminders(centre) == 0  # before 17:00
    at(centre, REMINDER_TIME, monkeypatch)
    assert send_all_reminders() == 2
    assert send_all_reminders() == 0  # the next tick finds them reminded
    sent = reminders()
    assert sorted(m.to[0] for m in sent) == ["v0@example.jp", "v1@example.jp"]
    assert day_label(tomorrow) in sent[0].subject and "明日" in sent[0].subject
    assert "長靴" in sent[0].body and "テスト市本町1-1" in sent[0].body and "08:30" in sent[0].body
    assert Booking.objects.get(pk=later.pk).reminded_at is None


@pytest.mark.django_db
def test_no_reminder_for_a_closed_day_or_after_the_centre_closes(centre, monkeypatch):
    today = at(centre, time(18, 0), monkeypatch)
    tomorrow = today + timedelta(days=1)
    book(factories.make_volunteer(email="a@example.jp"), centre, on=tomorrow)
    CapacityDay.objects.create(centre=centre, date=tomorrow, closed=True)
    assert send_reminders(centre) == 0
    CapacityDay.objects.all().delete()
    centre.closed_on = today
    centre.save()
    assert send_reminders(centre) == 0
    centre.closed_on = None
    centre.save()
    assert send_reminders(centre) == 1


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_send_each_reminder_once(centre, monkeypatch):
    today = at(centre, time(19, 0), monkeypatch)
    tomorrow = today + timedelta(days=1)
    for i in range(20):
        book(factories.make_volunteer(email=f"v{i}@example.jp"), centre, on=tomorrow)
    results, errors = run_together(4, lambda i: send_reminders(centre))
    assert errors == [None] * 4
    assert sum(results) == 20
    assert len(reminders()) == 20
    assert len({m.about for m in reminders()}) == 20


@pytest.mark.django_db
def test_a_closed_centre_reminds_nobody(centre, monkeypatch):
    today = at(centre, time(18, 0), monkeypatch)
    book(factories.make_volunteer(email="a@example.jp"), centre, on=today + timedelta(days=1))
    centre.status = centre.Status.CLOSED
    centre.save()
    assert send_all_reminders() == 0
