"""A reception desk opens the volunteers its centre knows and those standing in front of it (found by their
whole phone number, their QR, or registered on the spot); never someone else's volunteer by counting ids."""
import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.volunteers.models import Attendance
from tests import factories
from tests.searching import search
from tests.volunteers.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_centre):
    """A volunteer of another centre: registered and checked in there, never here."""
    volunteer = factories.make_volunteer(name="他所 花子", phone="090-7070-8080", emergency_name="他所 太郎",
                                         registered_centre=other_centre)
    factories.make_attendance(other_centre, volunteer)
    return volunteer


@pytest.fixture
def desk(client_as):
    return client_as(Role.RECEPTION)


def card(centre, volunteer):
    return reverse("volunteers:card", kwargs={"centre": centre.slug, "pk": volunteer.pk})


def check_in(centre, volunteer):
    return reverse("volunteers:staff_check_in", kwargs={"centre": centre.slug, "pk": volunteer.pk})


def test_another_centres_volunteer_cannot_be_opened_or_checked_in_by_id(desk, centre, theirs):
    assert desk.get(card(centre, theirs)).status_code == 404
    response = desk.post(check_in(centre, theirs), {"health_checked": "on", "insurance_confirmed": "on"})
    assert response.status_code == 404
    assert not Attendance.objects.filter(centre=centre).exists()


def test_found_by_the_whole_phone_number_they_open_and_check_in(desk, centre, theirs):
    page = search(desk, reverse("volunteers:reception", kwargs={"centre": centre.slug}), "09070708080")
    assert card(centre, theirs) in page.content.decode()
    assert "他所 太郎" in desk.get(card(centre, theirs)).content.decode()
    desk.post(check_in(centre, theirs), {"health_checked": "on", "insurance_confirmed": "on"})
    assert Attendance.objects.filter(centre=centre, volunteer=theirs).exists()


def test_the_last_digits_do_not_reach_another_centres_volunteer(desk, centre, theirs):
    search(desk, reverse("volunteers:reception", kwargs={"centre": centre.slug}), "8080")
    assert desk.get(card(centre, theirs)).status_code == 404


def test_a_scanned_personal_qr_opens_them(desk, centre, theirs):
    response = search(desk, reverse("volunteers:reception", kwargs={"centre": centre.slug}),
                      f"http://x/v/{theirs.token}/")
    assert response.redirect_chain[-1][0] == card(centre, theirs)
    assert response.status_code == 200


def test_opening_their_personal_link_at_the_desk_opens_them(desk, centre, theirs):
    response = desk.get(f"/v/{theirs.token}/")
    assert response.url == card(centre, theirs)
    assert desk.get(response.url).status_code == 200


def test_a_walk_in_who_registered_elsewhere_opens(desk, centre, theirs):
    data = form_data(name=theirs.name, kana=theirs.kana, phone=theirs.phone)
    response = desk.post(reverse("volunteers:walk_in", kwargs={"centre": centre.slug}), data)
    assert response.url == card(centre, theirs)
    assert desk.get(response.url).status_code == 200


def test_meeting_them_at_one_centre_opens_nothing_at_another(client, centre, other_centre, theirs):
    third = factories.make_centre()
    user = factories.make_user(Role.RECEPTION, centre)
    factories.Membership.objects.create(user=user, centre=third, role=Role.RECEPTION)
    client.force_login(user)
    search(client, reverse("volunteers:reception", kwargs={"centre": centre.slug}), "09070708080")
    assert client.get(card(centre, theirs)).status_code == 200
    assert client.get(card(third, theirs)).status_code == 404
