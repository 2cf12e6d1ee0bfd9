"""A volunteer's own check-in with their personal token and the day's poster code."""
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from ops.volunteers import codes
from ops.volunteers.models import Attendance
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db
WELL = {"no_fever": True, "feeling_well": True, "rested": True}


@pytest.fixture
def volunteer():
    return factories.make_volunteer()


def body(centre, **kw):
    return {"centre": centre.slug, "code": codes.daily_code(centre, centre.today()), "health": WELL,
            "insurance_confirmed": True, **kw}


def by_header(volunteer, language="ja"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Volunteer {volunteer.token}")
    return client


def test_checks_in_with_the_token_header_and_a_retry_is_the_same_check_in(centre, volunteer):
    client = by_header(volunteer)
    first = client.post(f"{API}/volunteer/check-in/", body(centre), format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["created"] is True and first.json()["centre"] == centre.slug
    again = client.post(f"{API}/volunteer/check-in/", body(centre), format="json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["id"] == first.json()["id"]
    assert Attendance.objects.filter(volunteer=volunteer, centre=centre).count() == 1


def test_checks_in_with_the_token_in_the_url(api, centre, volunteer):
    response = api.post(f"{API}/volunteers/{volunteer.token}/check-in/", body(centre), format="json")
    assert response.status_code == 201, response.json()
    assert Attendance.objects.get().volunteer == volunteer


def test_no_or_a_wrong_token_is_401(api, centre):
    assert api.post(f"{API}/volunteer/check-in/", body(centre), format="json").status_code == 401
    wrong = api.post(f"{API}/volunteers/{'x' * 43}/check-in/", body(centre), format="json")
    assert wrong.status_code == 401 and wrong.json()["code"] == "authentication_failed"
    assert not Attendance.objects.exists()


def test_a_staff_token_does_not_check_anyone_in(admin_api, centre):
    response = admin_api.post(f"{API}/volunteer/check-in/", body(centre), format="json")
    assert response.status_code == 401


def test_yesterdays_poster_is_refused_and_says_so(centre, volunteer):
    yesterday = centre.today() - timedelta(days=1)
    response = by_header(volunteer).post(f"{API}/volunteer/check-in/",
                                         body(centre, code=codes.daily_code(centre, yesterday)), format="json")
    assert response.status_code == 400
    assert "のものです" in response.json()["errors"]["code"][0]
    assert not Attendance.objects.exists()


def test_another_centres_code_is_refused(centre, other_centre, volunteer):
    data = body(centre, code=codes.daily_code(other_centre, other_centre.today()))
    response = by_header(volunteer).post(f"{API}/volunteer/check-in/", data, format="json")
    assert response.status_code == 400 and "code" in response.json()["errors"]


def test_feeling_unwell_is_refused_by_the_check_in_rules(centre, volunteer):
    data = body(centre, health={**WELL, "no_fever": False})
    response = by_header(volunteer).post(f"{API}/volunteer/check-in/", data, format="json")
    assert response.status_code == 409 and response.json()["code"] == "checkin_refused.health"
    assert not Attendance.objects.exists()


def test_missing_health_answers_are_400(centre, volunteer):
    data = body(centre, health={"no_fever": True})
    response = by_header(volunteer).post(f"{API}/volunteer/check-in/", data, format="json")
    assert response.status_code == 400 and "health" in response.json()["errors"]


def test_uninsured_volunteer_gets_the_signup_link(centre):
    centre.insurance_signup_url = "https://example.jp/hoken"
    centre.save()
    uninsured = factories.make_volunteer(insurance="none")
    response = by_header(uninsured).post(f"{API}/volunteer/check-in/", body(centre, insurance_confirmed=False),
                                         format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "checkin_refused.insurance"
    assert response.json()["link"] == "https://example.jp/hoken"


def test_check_in_is_rate_limited_per_volunteer(centre, volunteer, settings):
    settings.API_CHECKIN_RATE = "2/min"
    client = by_header(volunteer)
    for _ in range(2):
        client.post(f"{API}/volunteer/check-in/", body(centre), format="json")
    response = client.post(f"{API}/volunteer/check-in/", body(centre), format="json")
    assert response.status_code == 429 and response.json()["code"] == "throttled"


def test_volunteers_behind_one_address_are_not_limited_by_each_other(centre, settings):
    """At 8:30 hundreds of phones share the centre's Wi-Fi (or a carrier's disaster Wi-Fi, 00000JAPAN) and so
    one address: the limit is each volunteer's, or the queue would be refused after the first few."""
    settings.API_CHECKIN_RATE = "2/min"
    crowd = [factories.make_volunteer() for _ in range(4)]
    answers = [by_header(v).post(f"{API}/volunteer/check-in/", body(centre), format="json", REMOTE_ADDR="203.0.113.7")
               for v in crowd]
    assert [a.status_code for a in answers] == [201] * 4
    assert Attendance.objects.filter(centre=centre).count() == 4


def test_the_count_is_shared_by_every_web_process(centre, volunteer, settings):
    """Counted in Redis: a second server process (here: a cache client of its own) sees the same requests, so
    the limit does not grow with the number of processes or reset when one restarts."""
    from django.core.cache.backends.redis import RedisCache

    settings.API_CHECKIN_RATE = "2/min"
    by_header(volunteer).post(f"{API}/volunteer/check-in/", body(centre), format="json")
    rates = settings.CACHES["rates"]
    other_process = RedisCache(rates["LOCATION"], {"KEY_PREFIX": rates["KEY_PREFIX"]})
    assert len(other_process.get(f"throttle_api_checkin_{volunteer.pk}", [])) == 1


def test_check_in_goes_through_when_the_rate_store_is_down(centre, volunteer, settings, caplog):
    """Redis down at 8:30 must not stop the queue: the limit is skipped (and said in the log), the check-in made."""
    from harness import free_port

    settings.CACHES = {**settings.CACHES, "rates": {**settings.CACHES["rates"],
                                                    "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}
    response = by_header(volunteer).post(f"{API}/volunteer/check-in/", body(centre), format="json")
    assert response.status_code == 201, response.json()
    assert Attendance.objects.filter(volunteer=volunteer).count() == 1
    assert "request rates unavailable" in caplog.text
