"""The stop-calls link at the foot of every mail to a volunteer: opening it changes nothing, its button or a
mail client's one-click POST (RFC 8058) stops the calls, a forged link is not found. And the volunteer's own
choices: at registration and on their page."""
from urllib.parse import urlsplit

import pytest
from django.test import Client

from ops.volunteers.mailing import stop_calls_url
from ops.volunteers.models import Volunteer
from tests import factories
from tests.volunteers.conftest import form_data

pytestmark = pytest.mark.django_db


def path_of(volunteer):
    return urlsplit(stop_calls_url(volunteer)).path


@pytest.fixture
def volunteer(db):
    return factories.make_volunteer(email="taro@example.jp")


def test_opening_the_link_shows_a_button_and_changes_nothing(client, volunteer):
    page = client.get(path_of(volunteer))
    assert page.status_code == 200 and "お知らせメールを停止する" in page.content.decode()
    assert volunteer.name not in page.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.wants_calls and volunteer.calls_stopped_at is None


def test_the_button_stops_the_calls(volunteer):
    page = Client(enforce_csrf_checks=True).post(path_of(volunteer))
    assert page.status_code == 200
    volunteer.refresh_from_db()
    assert not volunteer.wants_calls and volunteer.calls_stopped_at is not None


def test_a_one_click_post_without_csrf_stops_them(volunteer):
    page = Client(enforce_csrf_checks=True).post(path_of(volunteer), data="List-Unsubscribe=One-Click",
                                                  content_type="application/x-www-form-urlencoded")
    assert page.status_code == 200
    volunteer.refresh_from_db()
    assert not volunteer.wants_calls


def test_a_forged_link_is_not_found(client, volunteer):
    assert client.get(f"/m/stop/{volunteer.pk}/").status_code == 404
    assert client.post(path_of(volunteer)[:-3] + "xx/").status_code == 404
    volunteer.refresh_from_db()
    assert volunteer.wants_calls


def test_registration_records_the_wish_and_the_weekdays(client, centre):
    client.post(f"/p/{centre.slug}/volunteers/register/",
                form_data(email="hanako@example.jp", available_weekdays=["5", "6"]))
    volunteer = Volunteer.objects.get(email="hanako@example.jp")
    assert not volunteer.wants_calls and volunteer.available_weekdays == [5, 6]  # the box was not ticked
    client.post(f"/p/{centre.slug}/volunteers/register/", form_data(name="鈴木 次郎", kana="スズキ ジロウ",
                phone="090-2222-3333", email="jiro@example.jp", wants_calls="on"))
    jiro = Volunteer.objects.get(email="jiro@example.jp")
    assert jiro.wants_calls and jiro.available_weekdays == []


def test_the_registration_form_offers_calls_ticked(client, centre):
    page = client.get(f"/p/{centre.slug}/volunteers/register/").content.decode()
    assert "募集のお知らせをメールで受け取る" in page and "活動できる曜日" in page
    assert 'name="wants_calls" checked' in page or 'checked id="id_wants_calls"' in page or \
        "checked" in page.split('name="wants_calls"')[1].split(">")[0]


def test_the_volunteer_changes_both_on_their_page(client, volunteer):
    page = client.get(f"/v/{volunteer.token}/").content.decode()
    assert "募集のお知らせ" in page
    client.post(f"/v/{volunteer.token}/calls/", {"available_weekdays": ["0", "6"]})
    volunteer.refresh_from_db()
    assert not volunteer.wants_calls and volunteer.available_weekdays == [0, 6]
    client.post(f"/v/{volunteer.token}/calls/", {"wants_calls": "on"})
    volunteer.refresh_from_db()
    assert volunteer.wants_calls and volunteer.available_weekdays == [] and volunteer.calls_stopped_at is None


def test_a_bad_weekday_changes_nothing(client, volunteer):
    client.post(f"/v/{volunteer.token}/calls/", {"available_weekdays": ["9"]})
    volunteer.refresh_from_db()
    assert volunteer.wants_calls and volunteer.available_weekdays == []
