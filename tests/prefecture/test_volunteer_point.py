"""The disaster's one registration point (/d/<disaster>/): its open centres with their offered dates, places,
deadline, method and buses in words; registering there once for every centre; signing in again."""
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ops.centres.models import Centre
from ops.messages.models import OutboundMail
from ops.prefecture.models import Offering
from ops.prefecture.services.allocation import allocate
from ops.prefecture.services.offerings import apply
from tests import factories
from tests.prefecture import conftest_volside
from tests.prefecture.conftest_volside import bus_to, offer, register_at
from tests.volunteers.conftest import form_data

pytestmark = pytest.mark.django_db
disaster, centre_a, centre_b = conftest_volside.disaster, conftest_volside.centre_a, conftest_volside.centre_b


def test_the_point_lists_open_centres_dates_method_buses_and_scope(disaster, centre_a, centre_b):
    draw = offer(centre_a, days=2, places=4, closes_at=timezone.now() + timedelta(hours=20))
    offer(centre_b, days=3, places=2, method=Offering.Method.FIRST_COME)
    bus_to(draw, hub="長野駅東口", seats=3)
    centre_b.recruitment_scope = Centre.Scope.CITY
    centre_b.save(update_fields=["recruitment_scope"])
    closed = factories.make_centre(disaster=disaster, name="閉所したセンター", status=Centre.Status.CLOSED)
    offer(factories.make_centre(name="別の災害のセンター"), days=2)
    body = Client().get(f"/d/{disaster.pk}/").content.decode()
    assert disaster.name in body and centre_a.name in body and centre_b.name in body
    assert closed.name not in body and "別の災害のセンター" not in body
    assert "応募多数の場合は抽選" in body and "応募多数の場合は先着順" in body
    assert "受入 4人" in body and "受入 2人" in body and "応募締切" in body
    assert "長野駅東口" in body and "残り3席" in body
    assert "B町内にお住まいの方を募集しています" in body and "長野県内にお住まいの方を募集しています" in body
    assert f'href="/d/{disaster.pk}/register/"' in body and f'href="/d/{disaster.pk}/signin/"' in body


def test_past_full_and_closed_offerings_are_not_offered(disaster, centre_a):
    full = offer(centre_a, days=2, places=1)
    apply(factories.make_volunteer(), full)
    allocate(full.pk)
    late = offer(centre_a, days=4, places=2, closes_at=timezone.now() + timedelta(hours=1))
    Offering.objects.filter(pk=late.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    free = offer(centre_a, days=5, places=2)
    apply(factories.make_volunteer(), free)
    allocate(free.pk)  # allocated with a place left: a late application still gets one
    body = Client().get(f"/d/{disaster.pk}/").content.decode()
    day = lambda o: f"{o.date.month}/{o.date.day} "  # noqa: E731
    assert day(full) not in body and day(late) not in body and day(free) in body
    assert "割当済み" in body


def test_the_point_shows_no_volunteer_or_resident(disaster, centre_a):
    offering = offer(centre_a)
    volunteer = factories.make_volunteer(name="応募した 人", phone="090-5555-0001")
    apply(volunteer, offering)
    factories.make_need(centre_a, requester_name="住民 さん", phone="026-111-2222", address="住所一丁目")
    body = Client().get(f"/d/{disaster.pk}/").content.decode()
    for secret in ("応募した 人", "090-5555-0001", "住民 さん", "026-111-2222", "住所一丁目"):
        assert secret not in body


def test_an_unknown_disaster_is_not_found():
    assert Client().get("/d/999999/").status_code == 404


def test_registering_at_the_point_is_for_the_disaster_with_the_link_mailed(disaster, centre_a):
    client, volunteer = register_at(disaster, email="taro@example.jp")
    assert volunteer.registered_disaster == disaster and volunteer.registered_centre is None
    mail = OutboundMail.objects.get(kind=OutboundMail.Kind.VOLUNTEER_LINK)
    assert disaster.name in mail.subject and volunteer.token in mail.body
    assert client.get(f"/d/{disaster.pk}/").status_code == 200
    page = client.get(f"/v/{volunteer.token}/")
    assert page.status_code == 200


def test_no_centre_rule_is_asked_at_registration(disaster, centre_a):
    centre_a.min_age = 20
    centre_a.recruitment_scope = Centre.Scope.CITY
    centre_a.save(update_fields=["min_age", "recruitment_scope"])
    _client, volunteer = register_at(disaster, age_band="16_17", prefecture="東京都", city="新宿区")
    assert volunteer.registered_disaster == disaster


def test_registering_again_as_someone_else_mails_their_link_and_shows_nothing(disaster):
    _client, volunteer = register_at(disaster, email="taro@example.jp")
    OutboundMail.objects.all().delete()
    response = Client().post(f"/d/{disaster.pk}/register/", form_data(email="someone@example.jp"))
    body = response.content.decode()
    assert response.status_code == 200 and "すでに登録があります" in body
    assert volunteer.token not in body and "taro@example.jp" not in body
    assert f'href="/d/{disaster.pk}/"' in body
    assert OutboundMail.objects.get().to == ["taro@example.jp"]


def test_bad_registration_shows_field_errors_in_english(disaster):
    response = Client().post(f"/d/{disaster.pk}/register/", {"name": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "This field is required" in response.content.decode()


def test_signing_in_mails_the_link_and_says_the_same_for_anyone(disaster):
    _client, volunteer = register_at(disaster, email="taro@example.jp")
    OutboundMail.objects.all().delete()
    known = Client().post(f"/d/{disaster.pk}/signin/", {"phone": volunteer.phone, "kana": volunteer.kana})
    unknown = Client().post(f"/d/{disaster.pk}/signin/", {"phone": "090-9999-9999", "kana": "ダレ"})
    assert known.status_code == unknown.status_code == 200
    assert "個人リンクをお送りしました" in known.content.decode()
    assert OutboundMail.objects.get().to == ["taro@example.jp"]
    assert Client().get(f"/d/{disaster.pk}/signin/").status_code == 200


def test_the_point_in_english(disaster, centre_a):
    offer(centre_a, days=2, places=4)
    body = Client().get(f"/d/{disaster.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for words in ("A draw if more people apply than there are places", "4 places", "Register", "Already registered",
                  "Recruiting people living in"):
        assert words in body, words
    assert "応募多数" not in body and "登録する" not in body
