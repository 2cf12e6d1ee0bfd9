"""「現在地を送る」 on the public request form: the phone's position lands on the map, checked on the server, and
is personal data (exact for staff who see residents' data, never on the public board or its feed)."""
import json

import pytest
from django.urls import reverse

from ops.centres.models import Event, Role
from ops.needs.models import Need
from tests.needs.test_public_request import public_data, request_url

pytestmark = pytest.mark.django_db

HERE = {"lat": "36.648321", "lng": "138.194567", "accuracy": "18"}


def test_the_form_offers_the_button_with_why_and_no_inline_script(client, centre):
    body = client.get(request_url(centre)).content.decode()
    assert "現在地を送る" in body and "ボランティアが家を見つけやすくなります" in body
    assert "位置はセンターのスタッフだけが見ます" in body
    assert 'id="field-position" data-geolocate hidden' in body  # shown by the script: nothing to press without it
    assert '/static/needs/geolocate.js"' in body and "<script>" not in body
    for name in ("lat", "lng", "accuracy"):
        assert f'type="hidden" name="{name}"' in body


def test_a_request_with_the_phones_position_lands_on_the_map(client, client_as, centre):
    client.post(request_url(centre), public_data(**HERE))
    need = Need.objects.get()
    assert (need.lat, need.lng) == (36.648321, 138.194567)
    assert "誤差 約18 m" in need.notes and "端末の現在地" in need.notes
    staff = client_as(Role.COORDINATOR)
    feed = staff.get(reverse("mapping:needs_geojson", kwargs={"centre": centre.slug}), {"status": "new"}).json()
    [feature] = feed["features"]  # on the coordinators' map, to the feed's 5 places (about 1 m)
    assert feature["geometry"]["coordinates"] == pytest.approx([138.194567, 36.648321], abs=1e-5)


def test_without_a_position_the_request_is_taken_as_before(client, centre):
    client.post(request_url(centre), public_data(lat="", lng="", accuracy=""))
    need = Need.objects.get()
    assert need.lat is None and need.lng is None and need.notes == ""


@pytest.mark.parametrize("position,words", [
    ({"lat": "40.7128", "lng": "-74.0060", "accuracy": "10"}, "現在地が日本国内ではありません"),
    ({"lat": "51.5", "lng": "139.7", "accuracy": "10"}, "現在地が日本国内ではありません"),
    ({"lat": "abc", "lng": "138.1", "accuracy": "10"}, "現在地を取得し直してください"),
    ({"lat": "nan", "lng": "138.1", "accuracy": "10"}, "現在地を取得し直してください"),
    ({"lat": "36.6", "lng": "inf", "accuracy": "10"}, "現在地を取得し直してください"),
    ({"lat": "36.6", "lng": "", "accuracy": "10"}, "現在地を取得し直してください"),
    ({"lat": "36.6", "lng": "138.1", "accuracy": ""}, "現在地を取得し直してください"),
    ({"lat": "36.6", "lng": "138.1", "accuracy": "-5"}, "現在地を取得し直してください"),
    ({"lat": "36.6", "lng": "138.1", "accuracy": "4800"}, "現在地の誤差が大きすぎるため使えません"),
])
def test_a_position_that_cannot_be_used_is_said_in_words_and_nothing_is_saved(client, centre, position, words):
    response = client.post(request_url(centre), public_data(**position))
    assert response.status_code == 200
    body = response.content.decode()
    assert words in body and 'id="position-errors"' in body
    assert 'id="field-position" data-geolocate hidden' not in body  # the error is visible without the script
    assert not Need.objects.exists()


def test_the_errors_are_in_english_on_an_english_page(client, centre):
    client.cookies["django_language"] = "en"
    body = client.post(request_url(centre), public_data(lat="40.7", lng="-74", accuracy="9")).content.decode()
    assert "not in Japan" in body and "日本国内" not in body


def test_the_position_never_reaches_the_public_board_or_its_feed(client, centre):
    client.post(request_url(centre), public_data(**HERE))
    exact = ("36.648321", "138.194567", "36.648", "138.194", "138.195", "36.6483", "138.1945")
    slug = {"centre": centre.slug}
    for name in ("boards:public", "boards:public_snapshot"):
        body = client.get(reverse(name, kwargs=slug)).content.decode()
        assert not [e for e in exact if e in body], name
    events = client.get(reverse("boards:public_events", kwargs=slug), {"since": 0}).content.decode()
    assert "needs_received" in events and not [e for e in exact if e in events]
    assert not [e for e in exact if e in json.dumps(list(Event.objects.values_list("public", flat=True)))]


def test_roles_without_residents_data_see_it_rounded_to_about_100_m(client, client_as, centre):
    client.post(request_url(centre), public_data(**HERE))
    need = Need.objects.get()
    leader = client_as(Role.LEADER)
    body = leader.get(reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk})).content.decode()
    assert "36.648321" not in body and "138.194567" not in body and "誤差" not in body
    assert 'data-lat="36.648"' in body and 'data-lng="138.195"' in body
