"""Applying and cancelling from the personal page: statuses in words, refusals in words (nothing written),
a double tap is one application, someone else's token finds nothing, a few queries however many dates."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ops.centres.models import Centre
from ops.prefecture.models import Application, BusDeparture, Offering
from ops.prefecture.services.allocation import allocate
from ops.prefecture.services.buses import change_bus
from ops.prefecture.services.offerings import apply
from tests import factories
from tests.prefecture import conftest_volside
from tests.prefecture.conftest_volside import apply_page, bus_to, offer, personal, register_at

pytestmark = pytest.mark.django_db
disaster, centre_a, centre_b = conftest_volside.disaster, conftest_volside.centre_a, conftest_volside.centre_b


def test_the_personal_page_lists_the_dates_open_to_them_with_buses(disaster, centre_a, centre_b):
    a = offer(centre_a, days=2)
    b = offer(centre_b, days=3)
    bus = bus_to(b, hub="松本バスターミナル", seats=5)
    offer(factories.make_centre(name="別の災害のセンター"), days=2)
    client, volunteer = register_at(disaster)
    body = personal(client, volunteer).content.decode()
    assert "県の受付窓口からの応募" in body and "応募できる日" in body
    assert centre_a.name in body and centre_b.name in body and "別の災害のセンター" not in body
    assert f'name="offering" value="{a.pk}"' in body and f'<option value="{bus.pk}">' in body
    assert "松本バスターミナル 07:00発（残り5席）" in body


def test_a_volunteer_registered_at_a_centre_sees_its_disasters_dates(disaster, centre_a, centre_b):
    offering = offer(centre_b)
    volunteer = factories.make_volunteer(registered_centre=centre_a)
    body = personal(Client(), volunteer).content.decode()
    assert f'name="offering" value="{offering.pk}"' in body


def test_apply_with_a_bus_then_statuses_in_words(disaster, centre_a, centre_b):
    a = offer(centre_a, days=2, places=1, method=Offering.Method.FIRST_COME)
    b = offer(centre_b, days=3)
    bus = bus_to(b, seats=2)
    client, volunteer = register_at(disaster)
    answer = apply_page(client, volunteer, b, bus)
    assert answer.status_code == 302 and answer["Location"] == f"/v/{volunteer.token}/"
    page = client.get(answer["Location"]).content.decode()
    assert "に応募しました" in page and "応募済み（抽選・先着の結果はメールでお知らせ）" in page
    assert Application.objects.get(volunteer=volunteer, offering=b).bus == bus
    apply(factories.make_volunteer(), a)
    apply_page(client, volunteer, a)
    allocate(a.pk)
    allocate(b.pk)
    page = personal(client, volunteer).content.decode()
    assert "参加決定" in page and "座席 1番" in page and "キャンセル待ち 1番目" in page
    assert "応募の順（先着順）で決めました。" in page


def test_the_bus_delay_and_cancellation_are_on_the_page(disaster, centre_b):
    offering = offer(centre_b)
    bus = bus_to(offering)
    client, volunteer = register_at(disaster)
    apply_page(client, volunteer, offering, bus)
    allocate(offering.pk)
    change_bus(bus, status=BusDeparture.Status.DELAYED, version=bus.version, delay_minutes=30, note="渋滞のため")
    assert "このバスは約30分遅れています。 渋滞のため" in personal(client, volunteer).content.decode()
    bus.refresh_from_db()
    change_bus(bus, status=BusDeparture.Status.CANCELLED, version=bus.version)
    assert "このバスは運休です。" in personal(client, volunteer).content.decode()


def test_a_double_tap_is_one_application(disaster, centre_a):
    offering = offer(centre_a)
    client, volunteer = register_at(disaster)
    first, second = apply_page(client, volunteer, offering), apply_page(client, volunteer, offering)
    assert first.status_code == second.status_code == 302
    assert Application.objects.filter(volunteer=volunteer).count() == 1


def test_cancel_then_the_place_goes_to_the_waiting_list(disaster, centre_a):
    offering = offer(centre_a, places=1, method=Offering.Method.FIRST_COME)
    client, volunteer = register_at(disaster)
    apply_page(client, volunteer, offering)
    other = factories.make_volunteer()
    apply(other, offering)
    allocate(offering.pk)
    mine = Application.objects.get(volunteer=volunteer)
    assert mine.status == Application.Status.ALLOCATED
    answer = client.post(f"/v/{volunteer.token}/applications/{mine.pk}/cancel/")
    assert answer.status_code == 302
    assert "応募を取り消しました。" in client.get(answer["Location"]).content.decode()
    mine.refresh_from_db()
    assert mine.status == Application.Status.CANCELLED
    assert Application.objects.get(volunteer=other).status == Application.Status.ALLOCATED
    assert "取消" in personal(client, volunteer).content.decode()


def test_cancel_by_someone_elses_token_is_not_found_and_changes_nothing(disaster, centre_a):
    offering = offer(centre_a)
    client, volunteer = register_at(disaster)
    apply_page(client, volunteer, offering)
    mine = Application.objects.get(volunteer=volunteer)
    stranger = factories.make_volunteer()
    answer = Client().post(f"/v/{stranger.token}/applications/{mine.pk}/cancel/")
    assert answer.status_code == 404
    assert Application.objects.get(pk=mine.pk).status == Application.Status.APPLIED
    assert client.get(f"/v/{volunteer.token}/applications/{mine.pk}/cancel/").status_code == 405
    assert client.get(f"/v/{volunteer.token}/apply/").status_code == 405


@pytest.mark.parametrize("lang,scope_words,age_words,late_words,bus_words", [
    ("ja", "にお住まいの方を募集しています", "歳以上の方に活動をお願いしています", "この日の応募は締め切りました",
     "このバスはこの日・このセンターへの便ではありません"),
    ("en", "living in", "aged", "closed", "not"),
])
def test_refusals_are_in_words_and_write_nothing(disaster, centre_a, centre_b, lang, scope_words, age_words,
                                                 late_words, bus_words):
    centre_a.recruitment_scope = Centre.Scope.CITY
    centre_a.save(update_fields=["recruitment_scope"])
    centre_b.min_age = 20
    centre_b.save(update_fields=["min_age"])
    far = offer(centre_a, days=2)
    adults = offer(centre_b, days=3)
    other = offer(centre_b, days=4)
    bus = bus_to(adults)
    closing = offer(centre_b, days=5, closes_at=timezone.now() + timedelta(hours=1))
    Offering.objects.filter(pk=closing.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    client, volunteer = register_at(disaster, age_band="18_19", prefecture="東京都", city="新宿区")
    headers = {"HTTP_ACCEPT_LANGUAGE": lang}
    page = personal(client, volunteer, **headers).content.decode()
    assert scope_words in page and age_words in page  # said before they try, in place of the form
    for offering, use_bus, words in ((far, None, scope_words), (adults, None, age_words),
                                     (closing, None, late_words)):
        answer = apply_page(client, volunteer, offering, use_bus, **headers)
        assert answer.status_code == 409 and words in answer.content.decode(), answer.content.decode()[:500]
    centre_b.min_age, centre_b.recruitment_scope = 16, Centre.Scope.NATIONAL
    centre_b.save(update_fields=["min_age", "recruitment_scope"])
    answer = apply_page(client, volunteer, other, bus, **headers)
    assert answer.status_code == 409 and bus_words in answer.content.decode()
    assert not Application.objects.exists()


def test_bad_input_is_a_400_with_words(disaster, centre_a):
    client, volunteer = register_at(disaster)
    for data, words in (({"offering": "x"}, "応募する日を選んでください"), ({"offering": 999999}, "受入枠が見つかりません"),
                        ({"offering": offer(centre_a).pk, "bus": 999999}, "バスが見つかりません"),
                        ({"offering": "9" * 30}, "応募する日を選んでください")):
        answer = client.post(f"/v/{volunteer.token}/apply/", data)
        assert answer.status_code == 400 and words in answer.content.decode()
    assert not Application.objects.exists()


def test_the_page_does_not_show_other_volunteers(disaster, centre_a):
    offering = offer(centre_a)
    other = factories.make_volunteer(name="ほかの 人", phone="090-4444-0001")
    apply(other, offering)
    client, volunteer = register_at(disaster)
    body = personal(client, volunteer).content.decode()
    assert "ほかの 人" not in body and "090-4444-0001" not in body and other.token not in body


def test_a_few_queries_however_many_dates(disaster, centre_a, centre_b):
    client, volunteer = register_at(disaster)

    def queries():
        with CaptureQueriesContext(connection) as seen:
            assert personal(client, volunteer).status_code == 200
        return len(seen)

    offering = offer(centre_a, days=2)
    bus_to(offering)
    apply_page(client, volunteer, offering)
    few = queries()
    for days in range(3, 9):
        for centre in (centre_a, centre_b):
            bus_to(offer(centre, days=days))
    for o in Offering.objects.filter(centre=centre_b)[:3]:
        apply_page(client, volunteer, o)
    assert queries() == few


def test_a_date_they_hold_elsewhere_is_not_offered_as_open_and_the_place_is_listed_once(disaster, centre_a, centre_b):
    """Seen walking the demo: a volunteer with a place at B on the 9th was offered A's 9th as a date to apply
    for (the service then refused it), and their place showed twice on the page, with two cancel buttons."""
    a, b = offer(centre_a, days=2), offer(centre_b, days=2, places=5)
    client, volunteer = register_at(disaster)
    apply_page(client, volunteer, b)
    allocate(b.pk)
    page = personal(client, volunteer).content.decode()
    assert f'name="offering" value="{a.pk}"' not in page  # no apply form for the 9th at A
    assert f"この日はすでに{centre_b.name}に応募しています" in page
    assert page.count("取り消す") == 1  # the place, with its application; not again under 事前予約
