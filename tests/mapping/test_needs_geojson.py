"""The needs feed: GeoJSON of the map's fields only, filtered by bbox and status, compact, no personal data."""
import gzip
import json

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.dispatch.services import dispatch
from ops.needs.models import NeedStatus
from tests import factories
from tests.dispatch.conftest import make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(db):
    from datetime import time

    return factories.make_centre(latest_return_time=time(23, 59, 59, 999999))


def feed(client, centre, **params):
    response = client.get(reverse("mapping:needs_geojson", kwargs={"centre": centre.slug}), params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def test_the_feed_is_geojson_with_only_the_maps_fields(coordinator_client, centre):
    need = factories.make_need(centre, lat=36.6512345678, lng=138.1823456789, status=NeedStatus.READY,
                               work_types=["mud", "debris"], people_needed=6, district="川端",
                               requester_name="避難 花子", phone="090-2222-3333", address="テスト市川端1-1")
    fc = feed(coordinator_client, centre)
    assert fc["type"] == "FeatureCollection" and isinstance(fc["seq"], int)
    [f] = fc["features"]
    assert f["id"] == need.pk
    assert f["geometry"] == {"type": "Point", "coordinates": [138.18235, 36.65123]}
    assert f["properties"] == {"n": need.number, "s": "ready", "d": "川端", "w": ["debris", "mud"], "p": 6, "pr": 2}
    text = json.dumps(fc, ensure_ascii=False)
    assert "避難" not in text and "2222" not in text and "川端1-1" not in text


def test_default_is_open_needs_and_status_filters(coordinator_client, centre):
    ready = factories.make_need(centre, status=NeedStatus.READY)
    done = factories.make_need(centre, status=NeedStatus.COMPLETED)
    factories.make_need(centre, status=NeedStatus.NEW)
    assert ready.pk in {f["id"] for f in feed(coordinator_client, centre)["features"]}
    assert done.pk not in {f["id"] for f in feed(coordinator_client, centre)["features"]}
    only = feed(coordinator_client, centre, status="completed,ready")["features"]
    assert {f["id"] for f in only} == {ready.pk, done.pk}


def test_bbox_filters_and_needs_without_a_location_are_left_out(coordinator_client, centre):
    inside = factories.make_need(centre, lat=36.65, lng=138.18)
    factories.make_need(centre, lat=36.90, lng=138.18)
    factories.make_need(centre, lat=None, lng=None)
    fc = feed(coordinator_client, centre, bbox="138.1,36.6,138.3,36.7")
    assert [f["id"] for f in fc["features"]] == [inside.pk]


def test_other_centres_needs_are_not_in_the_feed(coordinator_client, centre, other_centre):
    factories.make_need(other_centre)
    assert feed(coordinator_client, centre)["features"] == []


def test_welfare_and_people_on_site_are_flagged(coordinator_client, centre):
    need = factories.make_need(centre, status=NeedStatus.READY, welfare="watch", people_needed=8)
    dispatch(make_team(centre, 3), need)
    [f] = feed(coordinator_client, centre)["features"]
    assert f["properties"]["wf"] == 1 and f["properties"]["a"] == 3 and f["properties"]["s"] == "assigned"


@pytest.mark.parametrize("params", [{"bbox": "1,2,3"}, {"bbox": "x,1,2,3"}, {"status": "flying"}])
def test_bad_filters_are_400(coordinator_client, centre, params):
    response = coordinator_client.get(reverse("mapping:needs_geojson", kwargs={"centre": centre.slug}), params)
    assert response.status_code == 400
    assert "error" in response.json()


def test_gzip_when_the_client_accepts_it(coordinator_client, centre):
    for i in range(40):
        factories.make_need(centre, lat=36.6 + i / 1000, lng=138.1)
    url = reverse("mapping:needs_geojson", kwargs={"centre": centre.slug})
    plain = coordinator_client.get(url)
    packed = coordinator_client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert packed["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) < len(plain.content) / 3


def test_only_dispatch_roles_read_the_feed(client_as, centre):
    url = reverse("mapping:needs_geojson", kwargs={"centre": centre.slug})
    assert client_as(Role.RECEPTION).get(url).status_code == 403


def test_district_and_work_type_filters_keep_all_work_types_of_a_match(coordinator_client, centre):
    both = factories.make_need(centre, district="川端", work_types=["mud", "debris"])
    factories.make_need(centre, district="中央", work_types=["mud"])
    factories.make_need(centre, district="川端", work_types=["furniture"])
    [f] = feed(coordinator_client, centre, district="川端", work_type="debris")["features"]
    assert f["id"] == both.pk and f["properties"]["w"] == ["debris", "mud"]
