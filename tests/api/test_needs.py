"""Needs over the API: filters and pages, intake, edit, and status changes through the transition table."""
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.centres.models import Role
from ops.needs.models import Need, NeedStatus, NeedStatusChange
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(as_role):
    return as_role(Role.COORDINATOR)


def url(centre, rest=""):
    return f"{API}/centres/{centre.slug}/needs/{rest}"


def labels(response):
    assert response.status_code == 200, response.json()
    return sorted(n["label"] for n in response.json()["results"])


def test_filters_by_status_district_work_type_and_priority(coordinator, centre):
    factories.make_need(centre, status=NeedStatus.READY, district="北町", work_types=["mud"], priority=1)
    factories.make_need(centre, status=NeedStatus.READY, district="南町", work_types=["debris"], priority=2)
    factories.make_need(centre, status=NeedStatus.COMPLETED, district="北町", work_types=["mud"], priority=1)
    assert labels(coordinator.get(url(centre), {"status": "ready"})) == ["N-0001", "N-0002"]
    assert labels(coordinator.get(url(centre), {"district": "北町"})) == ["N-0001", "N-0003"]
    assert labels(coordinator.get(url(centre), {"work_type": "debris"})) == ["N-0002"]
    assert labels(coordinator.get(url(centre), {"priority": 1, "status": "open"})) == ["N-0001"]


def test_filters_by_bounding_box(coordinator, centre):
    factories.make_need(centre, lat=36.60, lng=138.10)
    factories.make_need(centre, lat=36.70, lng=138.30)
    factories.make_need(centre, lat=None, lng=None)
    assert labels(coordinator.get(url(centre), {"bbox": "138.0,36.5,138.2,36.65"})) == ["N-0001"]


def test_filters_by_updated_since(coordinator, centre):
    old = factories.make_need(centre)
    Need.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    factories.make_need(centre)
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    assert labels(coordinator.get(url(centre), {"updated_since": since})) == ["N-0002"]


def test_pages_with_limit_and_offset(coordinator, centre):
    for _ in range(5):
        factories.make_need(centre)
    first = coordinator.get(url(centre), {"limit": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2
    assert "offset=2" in first["next"] and first["previous"] is None
    rest = coordinator.get(url(centre), {"limit": 2, "offset": 4}).json()
    assert len(rest["results"]) == 1 and rest["next"] is None
    seen = {n["id"] for n in first["results"]} | {n["id"] for n in rest["results"]}
    middle = coordinator.get(url(centre), {"limit": 2, "offset": 2}).json()
    assert len(seen | {n["id"] for n in middle["results"]}) == 5


def test_a_huge_offset_is_an_empty_page(coordinator, centre):
    factories.make_need(centre)
    body = coordinator.get(url(centre), {"offset": "9" * 40, "limit": "9" * 40}).json()
    assert body["count"] == 1 and body["results"] == []


def test_page_size_is_capped(coordinator, centre):
    for _ in range(3):
        factories.make_need(centre)
    assert coordinator.get(url(centre), {"limit": 100000}).status_code == 200


def test_only_this_centres_needs_are_listed(coordinator, centre, other_centre):
    factories.make_need(other_centre)
    assert coordinator.get(url(centre)).json()["count"] == 0


def test_intake_records_a_need_with_the_next_number(coordinator, centre):
    factories.make_need(centre)
    response = coordinator.post(url(centre), {
        "requester_name": "佐藤 一郎", "address": "テスト市北町2-3", "phone": "09011112222",
        "lat": 36.651, "lng": 138.181, "work_types": ["mud", "furniture"], "people_needed": 6,
        "household": ["elderly_alone"],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["label"] == "N-0002" and body["status"] == "new"
    assert body["work_types"] == ["furniture", "mud"]
    need = Need.objects.get(pk=body["id"])
    assert need.created_by == coordinator.user
    assert need.phone_normalised == "09011112222"
    assert NeedStatusChange.objects.filter(need=need, to_status="new").exists()


def test_intake_refuses_missing_and_wrong_fields_per_field(coordinator, centre):
    response = coordinator.post(url(centre), {"lat": 36.6, "people_needed": "many", "work_types": ["nope"]},
                                format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"requester_name", "address", "people_needed"} <= set(errors)
    assert not Need.objects.exists()


def test_the_needs_service_check_comes_back_per_field(coordinator, centre):
    response = coordinator.post(url(centre), {"requester_name": "佐藤", "address": "北町", "lat": 36.6,
                                              "work_types": ["no-such-work"]}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "work_types" in errors and "lat" in errors  # unknown code; a latitude without a longitude
    assert not Need.objects.exists()


def test_edit_changes_details_and_bumps_the_version(coordinator, centre):
    need = factories.make_need(centre)
    response = coordinator.patch(url(centre, f"{need.pk}/"), {"people_needed": 9, "district": "西町"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["people_needed"] == 9 and response.json()["version"] == need.version + 1


def test_status_change_follows_the_table(coordinator, centre):
    need = factories.make_need(centre)
    response = coordinator.post(url(centre, f"{need.pk}/status/"), {"status": "surveyed"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "surveyed"
    assert NeedStatusChange.objects.filter(need=need, from_status="new", to_status="surveyed",
                                           by=coordinator.user).exists()


def test_an_illegal_transition_is_409_and_changes_nothing(coordinator, centre):
    need = factories.make_need(centre)
    response = coordinator.post(url(centre, f"{need.pk}/status/"), {"status": "completed"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body == {"status": 409, "code": "illegal_transition",
                    "detail": "「新規受付」から「完了」には変更できません。"}
    need.refresh_from_db()
    assert need.status == "new"


def test_dispatch_owned_statuses_are_refused_by_hand(coordinator, centre):
    need = factories.make_need(centre, status=NeedStatus.READY)
    response = coordinator.post(url(centre, f"{need.pk}/status/"), {"status": "assigned"}, format="json")
    assert response.status_code == 409


def test_cancelling_needs_a_reason(coordinator, centre):
    need = factories.make_need(centre)
    refused = coordinator.post(url(centre, f"{need.pk}/status/"), {"status": "cancelled"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "need_refused"
    done = coordinator.post(url(centre, f"{need.pk}/status/"),
                            {"status": "cancelled", "reason": "他の支援で解決", "closure": "helped_elsewhere"},
                            format="json")
    assert done.status_code == 200 and done.json()["closure"] == "helped_elsewhere"


def test_detail_tells_editors_which_statuses_they_may_set(coordinator, centre):
    need = factories.make_need(centre, status=NeedStatus.READY)
    body = coordinator.get(url(centre, f"{need.pk}/")).json()
    assert body["allowed_statuses"] == ["cancelled", "on_hold"]


def test_changes_by_token_are_audited_under_the_tokens_user(coordinator, centre):
    from ops.centres.models import AuditEntry

    need = factories.make_need(centre)
    coordinator.patch(url(centre, f"{need.pk}/"), {"phone": "090-9999-0000"}, format="json")
    coordinator.post(url(centre, f"{need.pk}/status/"), {"status": "surveyed"}, format="json")
    # (the factory's own "create" entry is the test's set-up, made outside any request)
    entries = AuditEntry.objects.filter(object_id=str(need.pk), object_type="needs.need").exclude(action="create")
    assert entries.exists()
    assert set(entries.values_list("user", flat=True)) == {coordinator.user.pk}
    assert not AuditEntry.objects.filter(actor="anonymous").exists()


@pytest.mark.django_db
def test_a_retired_base_takes_no_new_need_but_a_need_naming_it_keeps_it(coordinator, centre):
    """A retired base (the settings' bases page) is no longer offered: the API refused nothing before."""
    from ops.centres.bases import retire_base
    from ops.centres.models import Base

    satellite = Base.objects.create(centre=centre, name="南サテライト", kind=Base.Kind.SATELLITE, lat=centre.lat,
                                    lng=centre.lng)
    need = factories.make_need(centre)
    kept = factories.make_need(centre, base=satellite)
    retire_base(satellite)
    refused = coordinator.patch(url(centre, f"{need.pk}/"), {"base": satellite.pk}, format="json")
    assert refused.status_code == 400 and "廃止" in str(refused.json())
    need.refresh_from_db()
    assert need.base_id is None
    allowed = coordinator.patch(url(centre, f"{kept.pk}/"), {"base": satellite.pk, "district": "南町"},
                                format="json")
    assert allowed.status_code == 200, allowed.json()
    kept.refresh_from_db()
    assert (kept.base_id, kept.district) == (satellite.pk, "南町")
