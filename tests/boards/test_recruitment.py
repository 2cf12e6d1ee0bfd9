"""Staff set recruitment, notices and the centre's status; the change is saved, audited and announced."""
import pytest
from django.urls import reverse

from ops.centres import services
from ops.centres.models import AuditEntry, Centre, Event, Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_set_recruitment_saves_audits_and_announces_it_publicly(centre):
    admin = factories.make_user(Role.ADMIN, centre)
    services.set_recruitment(centre, status=Centre.Recruitment.PREREGISTERED_ONLY, scope=Centre.Scope.CITY,
                             capacity=120, by=admin)

    centre.refresh_from_db()
    assert (centre.recruitment_status, centre.recruitment_scope, centre.daily_capacity) == (
        "prereg_only", "city", 120)
    event = Event.objects.get(centre=centre)
    assert event.kind == "centre.changed"
    assert event.public["centre"]["recruitment_status"] == "prereg_only"
    assert event.public["centre"]["daily_capacity"] == 120
    entry = AuditEntry.objects.get(centre=centre, action="centre.recruitment")
    assert entry.user == admin and entry.fields == ["daily_capacity", "recruitment_scope", "recruitment_status"]


def test_saving_the_same_recruitment_again_announces_nothing(centre):
    services.set_recruitment(centre, status=centre.recruitment_status, scope=centre.recruitment_scope,
                             capacity=centre.daily_capacity)
    assert not Event.objects.filter(centre=centre).exists()


@pytest.mark.parametrize("kwargs", [
    {"status": "maybe", "scope": "city", "capacity": 10},
    {"status": "recruiting", "scope": "moon", "capacity": 10},
    {"status": "recruiting", "scope": "city", "capacity": -1},
    {"status": "recruiting", "scope": "city", "capacity": "many"},
])
def test_bad_recruitment_values_are_refused_and_change_nothing(centre, kwargs):
    before = Centre.objects.values().get(pk=centre.pk)
    with pytest.raises(services.CentreSettingError) as refused:
        services.set_recruitment(centre, **kwargs)
    assert refused.value.message
    assert Centre.objects.values().get(pk=centre.pk) == before
    assert not Event.objects.filter(centre=centre).exists()


def test_notices_are_one_per_line_on_the_public_board(client, centre):
    services.set_notices(centre, notice="受付は15時まで\n  \n雨天中止", what_to_bring="長靴")
    body = client.get(reverse("boards:public_snapshot", kwargs={"centre": centre.slug})).json()
    assert body["centre"]["notices"] == ["受付は15時まで", "雨天中止"]
    assert body["centre"]["what_to_bring"] == "長靴"


def test_only_centre_managers_open_the_recruitment_page(client, centre):
    url = reverse("boards:recruitment", kwargs={"centre": centre.slug})
    client.force_login(factories.make_user(Role.COORDINATOR, centre))
    assert client.get(url).status_code == 403
    assert client.post(url, {"form": "status", "status-status": "closed"}).status_code == 403
    centre.refresh_from_db()
    assert centre.status == Centre.Status.OPEN
    client.force_login(factories.make_user(Role.ADMIN, centre))
    assert client.get(url).status_code == 200


def test_recruitment_page_change_reaches_the_public_json(client, centre):
    client.force_login(factories.make_user(Role.ADMIN, centre))
    url = reverse("boards:recruitment", kwargs={"centre": centre.slug})
    response = client.post(url, {"form": "recruitment", "recruitment-status": "none",
                                 "recruitment-scope": "national", "recruitment-capacity": "80"})
    assert response.status_code == 302
    client.logout()
    body = client.get(reverse("boards:public_snapshot", kwargs={"centre": centre.slug})).json()
    assert body["centre"]["recruitment_status"] == "none"
    assert body["labels"]["recruitment_status"] == "募集なし"
    assert body["labels"]["recruitment_scope"] == "全国"
    assert all(day["capacity"] == 80 for day in body["days"])
    public_page = client.get(reverse("boards:public", kwargs={"centre": centre.slug})).content.decode()
    assert "募集なし" in public_page


def test_recruitment_page_shows_errors_and_keeps_the_old_values(client, centre):
    client.force_login(factories.make_user(Role.ADMIN, centre))
    url = reverse("boards:recruitment", kwargs={"centre": centre.slug})
    response = client.post(url, {"form": "recruitment", "recruitment-status": "recruiting",
                                 "recruitment-scope": "city", "recruitment-capacity": "-5"})
    assert response.status_code == 400
    centre.refresh_from_db()
    assert centre.daily_capacity == 500 and centre.recruitment_scope == "prefecture"


def test_public_board_speaks_english_when_asked(client, centre):
    html = client.get(reverse("boards:public", kwargs={"centre": centre.slug}),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Volunteers wanted from tomorrow" in html and "Places left" in html
    assert "明日以降のボランティア募集" not in html
