"""One registration, every centre: a volunteer registered at the disaster's one registration point is given a
place at centre B, mailed about it (date, centre, seat, personal link; the draw said when drawn), checks in at
B with the day's code on their phone, and B's reception finds them by name."""
from datetime import time, timedelta

import pytest
import time_machine

from ops.messages.models import OutboundMail
from ops.prefecture.models import Application, Offering
from ops.prefecture.services.allocation import allocate
from ops.prefecture.services.offerings import apply
from ops.prefecture.services.outcomes import mail_outcomes
from ops.volunteers import codes, selectors
from ops.volunteers.mailing import day_label
from ops.volunteers.models import Attendance
from tests import factories
from tests.prefecture import conftest_volside
from tests.prefecture.conftest_volside import apply_page, bus_to, offer, register_at
from tests.volunteers.conftest import CHECKIN_FORM

pytestmark = pytest.mark.django_db
disaster, centre_a, centre_b = conftest_volside.disaster, conftest_volside.centre_a, conftest_volside.centre_b


def test_registered_once_allocated_at_b_checks_in_there_and_is_found_by_name(disaster, centre_a, centre_b):
    client, volunteer = register_at(disaster, name="県窓口 花子", kana="ケンマドグチ ハナコ", email="hanako@example.jp")
    offering = offer(centre_b, days=1, places=2, method=Offering.Method.FIRST_COME)
    bus = bus_to(offering, hub="長野駅東口", seats=4, at=time(6, 45))
    assert apply_page(client, volunteer, offering, bus).status_code == 302
    allocate(offering.pk)
    assert mail_outcomes(offering.pk) == 1
    application = Application.objects.get(volunteer=volunteer)
    assert application.status == Application.Status.ALLOCATED and application.seat == 1

    mail = OutboundMail.objects.get(kind=OutboundMail.Kind.ALLOCATION)
    assert mail.to == ["hanako@example.jp"] and centre_b.name in mail.subject
    for words in (day_label(offering.date), centre_b.name, "参加が決まりました", "長野駅東口 06:45発、座席 1番",
                  f"/v/{volunteer.token}/", "応募の順（先着順）で決めました。"):
        assert words in mail.body, words

    with time_machine.travel(centre_b.at(offering.date, time(8, 30)), tick=False):
        code = codes.daily_code(centre_b, offering.date)
        url = f"/p/{centre_b.slug}/checkin/{code}/"
        assert client.post(url, CHECKIN_FORM).status_code == 303
        attendance = Attendance.objects.get(volunteer=volunteer)
        assert attendance.centre == centre_b and attendance.date == offering.date
        assert volunteer in selectors.search(centre_b, "県窓口")
        assert volunteer in selectors.search(centre_b, "ケンマドグチ")
        assert volunteer in selectors.search(centre_a, "ケンマドグチ")  # every centre of the disaster knows them
    # the bus roster's "rode": the rider with a seat who checked in at the bus's centre on its date
    rode = Attendance.objects.filter(volunteer_id__in=Application.objects.filter(bus=bus, seat__isnull=False)
                                     .values("volunteer_id"), centre=bus.centre, date=bus.date)
    assert list(rode.values_list("volunteer_id", flat=True)) == [volunteer.pk]


def test_the_mail_says_the_draw_when_places_were_drawn(disaster, centre_a):
    client, volunteer = register_at(disaster, email="taro@example.jp")
    offering = offer(centre_a, days=2, places=1, method=Offering.Method.DRAW)
    apply_page(client, volunteer, offering)
    for n in range(3):
        apply(factories.make_volunteer(email=f"v{n}@example.jp"), offering)
    assert allocate(offering.pk).method == Offering.Method.DRAW
    mail_outcomes(offering.pk)
    mine = OutboundMail.objects.get(to=["taro@example.jp"], kind=OutboundMail.Kind.ALLOCATION)
    assert "抽選で決めました" in mine.body and offering.seed in mine.body
    assert f"/v/{volunteer.token}/" in mine.body and day_label(offering.date) in mine.body
    status = Application.objects.get(volunteer=volunteer).status
    assert ("参加が決まりました" in mine.body) == (status == Application.Status.ALLOCATED)
    assert ("キャンセル待ち（" in mine.body) == (status == Application.Status.WAITING)
    # each mail is the volunteer's own: nobody else's link in it
    others = [a.volunteer.token for a in Application.objects.exclude(volunteer=volunteer).select_related("volunteer")]
    assert not any(token in mine.body for token in others)


def test_a_day_of_an_offering_is_never_booked_at_the_centre_page(disaster, centre_a):
    client, volunteer = register_at(disaster)
    offering = offer(centre_a, days=2)
    page = client.get(f"/p/{centre_a.slug}/volunteers/book/?date={offering.date.isoformat()}")
    body = page.content.decode()
    assert page.status_code == 200 and "この日は県の受付窓口からの応募で決まります" in body
    assert f'href="/d/{disaster.pk}/"' in body
    assert f'value="{offering.date.isoformat()}"' not in body  # not among the days to book
    other_day = (centre_a.today() + timedelta(days=3)).isoformat()
    assert f'value="{other_day}"' in body
    refused = client.post(f"/p/{centre_a.slug}/volunteers/book/", {"date": offering.date.isoformat()})
    assert refused.status_code == 200 and not volunteer.bookings.exists()


def test_the_public_board_links_an_offered_day_to_the_point(disaster, centre_a):
    offering = offer(centre_a, days=2)
    body = client_get(f"/p/{centre_a.slug}/")
    assert "この日は県の受付窓口からの応募で決まります" in body and f"/d/{disaster.pk}/" in body
    from ops.boards.selectors import recruitment_days

    days = {d["date"]: d for d in recruitment_days(centre_a, centre_a.today())}
    assert days[offering.date.isoformat()]["offering_url"].endswith(f"/d/{disaster.pk}/")
    assert days[offering.date.isoformat()]["booking_url"] is None
    other = (offering.date + timedelta(days=1)).isoformat()
    assert days[other]["offering_url"] is None


def client_get(url):
    from django.test import Client

    return Client().get(url).content.decode()
