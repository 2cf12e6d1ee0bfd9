"""募集範囲 (市内 / 近隣 / 県内 / 全国) against the volunteer's residence, enforced at registration and booking on
the volunteer's own phone. Reception may accept a walk-in from outside the scope: the page says so."""
import pytest
from django.urls import reverse

from ops.centres.models import Centre
from ops.volunteers.models import Booking, Group, Volunteer
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import book, register_group, register_volunteer
from tests import factories
from tests.volunteers.conftest import details, form_data

pytestmark = pytest.mark.django_db

CITY, NEIGHBOURS, PREFECTURE, NATIONAL = (Centre.Scope.CITY, Centre.Scope.NEIGHBOURS, Centre.Scope.PREFECTURE,
                                          Centre.Scope.NATIONAL)


@pytest.fixture
def scoped(centre):
    """テスト市 (長野県), with 隣町 and 川向村 listed as neighbours."""
    def scope(value):
        centre.recruitment_scope = value
        centre.neighbour_cities = "隣町\n川向村\n"
        centre.save()
        return centre
    return scope


@pytest.mark.parametrize("scope, home, inside", [
    (CITY, ("長野県", "テスト市"), True),
    (CITY, ("長野県", "隣町"), False),
    (NEIGHBOURS, ("長野県", "テスト市"), True),
    (NEIGHBOURS, ("長野県", "川向村"), True),
    (NEIGHBOURS, ("長野県", "松本市"), False),
    (NEIGHBOURS, ("新潟県", "隣町"), False),  # a namesake in another prefecture is not a neighbour
    (PREFECTURE, ("長野県", "松本市"), True),
    (PREFECTURE, ("東京都", "世田谷区"), False),
    (NATIONAL, ("沖縄県", "那覇市"), True),
])
def test_who_is_inside_each_scope(scoped, scope, home, inside):
    centre = scoped(scope)
    assert centre.within_scope(prefecture=home[0], city=home[1]) is inside


def test_registration_from_outside_the_scope_is_refused_and_saves_nothing(scoped):
    centre = scoped(PREFECTURE)
    with pytest.raises(VolunteerError) as refused:
        register_volunteer(centre=centre, **details(prefecture="東京都", city="世田谷区"))
    assert refused.value.code == "out_of_scope" and "長野県内にお住まいの方を募集しています" in refused.value.message
    assert not Volunteer.objects.exists()


def test_the_registration_page_says_why_in_the_users_language(client, scoped):
    centre = scoped(CITY)
    url = reverse("volunteers:register", kwargs={"centre": centre.slug})
    response = client.post(url, form_data(prefecture="長野県", city="松本市"))
    assert response.status_code == 409
    assert "テスト市内にお住まいの方を募集しています" in response.content.decode()
    response = client.post(url, form_data(prefecture="長野県", city="松本市"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409 and "We are currently recruiting people living in" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_neighbours_are_the_listed_municipalities(client, scoped):
    centre = scoped(NEIGHBOURS)
    register_volunteer(centre=centre, **details(city="川向村"))
    with pytest.raises(VolunteerError) as refused:
        register_volunteer(centre=centre, **details(name="別人 次郎", kana="ベツジン ジロウ", phone="090-2222-3333",
                                                     city="松本市"))
    assert "テスト市と近隣（隣町、川向村）" in refused.value.message


def test_a_group_led_from_outside_is_refused_whole(scoped, tomorrow):
    centre = scoped(PREFECTURE)
    with pytest.raises(VolunteerError) as refused:
        register_group(centre=centre, name="遠方の会", leader_name="遠方 一郎", leader_kana="エンポウ イチロウ",
                       phone="090-4444-5555", member_count=6, age_band="40s", prefecture="大阪府", city="大阪市",
                       on=tomorrow)
    assert refused.value.code == "out_of_scope"
    assert not Group.objects.exists() and not Booking.objects.exists()


def test_booking_is_refused_when_the_scope_narrowed_after_registering(client, scoped, tomorrow):
    centre = scoped(NATIONAL)
    volunteer = register_volunteer(centre=centre, **details(prefecture="東京都", city="世田谷区"))
    centre = scoped(PREFECTURE)
    with pytest.raises(VolunteerError) as refused:
        book(volunteer, centre, on=tomorrow)
    assert refused.value.code == "out_of_scope"
    client.get(f"/v/{volunteer.token}/")
    response = client.post(reverse("volunteers:book", kwargs={"centre": centre.slug}),
                           {"date": tomorrow.isoformat(), "base": ""})
    assert response.status_code == 409 and "長野県内にお住まいの方を募集しています" in response.content.decode()
    assert not Booking.objects.exists()


def test_reception_may_accept_a_walk_in_from_outside_and_is_told(client_as, scoped):
    centre = scoped(CITY)
    client = client_as("reception")
    data = {k: v for k, v in form_data(prefecture="東京都", city="世田谷区").items() if k != "insurance"}
    data.update({"insurance": "enrolled", "check_in_now": "on"})
    response = client.post(reverse("volunteers:walk_in", kwargs={"centre": centre.slug}), data, follow=True)
    volunteer = Volunteer.objects.get()
    assert volunteer.prefecture == "東京都"
    assert "募集範囲（市内）の外にお住まいの方です" in response.content.decode()


def test_staff_may_book_for_someone_from_outside(scoped, tomorrow):
    centre = scoped(CITY)
    volunteer = factories.make_volunteer(prefecture="東京都", city="世田谷区")
    admin = factories.make_user("admin", centre)
    assert book(volunteer, centre, on=tomorrow, by=admin).created
