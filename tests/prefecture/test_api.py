"""The volunteer's application through the API (what phones and bench/prefecture use)."""
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from ops.prefecture.models import Application
from ops.prefecture.services.offerings import open_offering
from tests.factories import make_centre, make_volunteer

pytestmark = pytest.mark.django_db


def client_of(volunteer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Volunteer {volunteer.token}")
    return client


def test_apply_then_again_then_cancel():
    centre = make_centre()
    offering = open_offering(centre, on=centre.today() + timedelta(days=2), places_n=3)
    volunteer = make_volunteer()
    first = client_of(volunteer).post("/api/v1/volunteer/applications/", {"offering": offering.pk}, format="json")
    assert first.status_code == 201 and first.json()["status"] == "applied"
    again = client_of(volunteer).post("/api/v1/volunteer/applications/", {"offering": offering.pk}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Application.objects.count() == 1
    cancel = client_of(volunteer).post(f"/api/v1/volunteer/applications/{first.json()['id']}/cancel/")
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"


def test_refusals_are_json_4xx():
    centre = make_centre(recruitment_scope="city")
    offering = open_offering(centre, on=centre.today() + timedelta(days=2), places_n=3)
    far = make_volunteer(prefecture="東京都", city="新宿区")
    answer = client_of(far).post("/api/v1/volunteer/applications/", {"offering": offering.pk}, format="json")
    assert answer.status_code == 409 and answer.json()["code"] == "application_refused.out_of_scope"
    assert "募集" in answer.json()["detail"] or answer.json()["detail"]
    missing = client_of(far).post("/api/v1/volunteer/applications/", {"offering": 999999}, format="json")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    bad = client_of(far).post("/api/v1/volunteer/applications/", {"offering": "x"}, format="json")
    assert bad.status_code == 400 and "offering" in bad.json()["errors"]
    anonymous = APIClient().post("/api/v1/volunteer/applications/", {"offering": offering.pk}, format="json")
    assert anonymous.status_code in (401, 403)
    other = make_volunteer()
    mine = client_of(make_volunteer()).post("/api/v1/volunteer/applications/", {"offering": offering.pk},
                                            format="json").json()
    theirs = client_of(other).post(f"/api/v1/volunteer/applications/{mine['id']}/cancel/")
    assert theirs.status_code == 404
    assert Application.objects.get(pk=mine["id"]).status == "applied"
    assert not Application.objects.filter(volunteer=far).exists()
