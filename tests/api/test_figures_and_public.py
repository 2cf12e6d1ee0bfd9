"""Daily figures for report readers; the public status for anyone, aggregates only."""
import pytest

from ops.centres.models import Role
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def test_figures_of_a_day(as_role, centre):
    day = centre.today()
    factories.make_attendance(centre, date=day)
    factories.make_attendance(centre, date=day)
    factories.make_need(centre)
    body = as_role(Role.VIEWER).get(f"{API}/centres/{centre.slug}/figures/", {"date": day.isoformat()}).json()
    assert body["date"] == day.isoformat()
    assert body["needs"]["today"]["received"] == 1
    assert body["centre"]["name"] == centre.name


def test_figures_default_to_today_and_refuse_nonsense_days(as_role, centre):
    client = as_role(Role.LEADER)
    assert client.get(f"{API}/centres/{centre.slug}/figures/").json()["date"] == centre.today().isoformat()
    for bad in ("9999-12-31", "2026-02-30", "today", "0001-01-01"):
        response = client.get(f"{API}/centres/{centre.slug}/figures/", {"date": bad})
        assert response.status_code == 400 and "date" in response.json()["errors"], bad


# The public snapshot sets REPEATABLE READ as its transaction's first statement, which PostgreSQL only
# allows outside another transaction: real requests are (ATOMIC_REQUESTS is off), so these tests are too.
@pytest.mark.django_db(transaction=True)
def test_public_status_needs_no_credentials_and_holds_no_personal_data(api, centre):
    factories.make_need(centre, requester_name="山田 花子", phone="090-1234-5678")
    factories.make_attendance(centre, date=centre.today())
    response = api.get(f"{API}/public/centres/{centre.slug}/status/")
    assert response.status_code == 200
    body = response.json()
    assert body["counters"]["needs_received_total"] == 1
    assert body["counters"]["volunteers_today"] == 1
    assert body["centre"]["recruitment_status"] == "recruiting"
    assert len(body["days"]) == 7 and body["days"][0]["left"] == centre.daily_capacity
    assert "山田" not in response.content.decode() and "090" not in response.content.decode()


def test_public_status_of_an_unknown_centre_is_404(api):
    assert api.get(f"{API}/public/centres/nowhere/status/").json()["code"] == "not_found"
