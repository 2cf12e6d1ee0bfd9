"""Bases (本部 / サテライト): listed, added and edited with a pin and their own capacity, retired (never deleted:
teams, attendances and bookings name them) and brought back."""
from datetime import timedelta

import pytest
from django.urls import reverse

from ops.centres import bases as settings_bases
from ops.centres.models import AuditEntry, Base, Role
from ops.centres.services import CentreSettingError
from ops.dispatch.models import Team
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import book
from tests import factories

pytestmark = pytest.mark.django_db

NEW = {"name": "南サテライト", "kind": "satellite", "address": "テスト市南町1", "lat": "36.61", "lng": "138.19",
       "daily_capacity": "40"}


@pytest.fixture
def today(centre):
    return centre.today()


@pytest.fixture
def tomorrow(today):
    return today + timedelta(days=1)


@pytest.fixture
def admin_client(client_as):
    return client_as(Role.ADMIN)


def test_a_base_is_added_with_its_pin_and_capacity(admin_client, centre):
    response = admin_client.post(reverse("centre_bases", kwargs={"centre": centre.slug}), NEW)
    assert response.status_code == 302
    base = Base.objects.get(name="南サテライト")
    assert (base.centre, base.kind, base.lat, base.lng, base.daily_capacity) == (centre, "satellite", 36.61, 138.19, 40)
    assert AuditEntry.objects.get(action="base.created").user == admin_client.user
    page = admin_client.get(reverse("centre_bases", kwargs={"centre": centre.slug})).content.decode()
    assert "南サテライト" in page and "本部" in page


@pytest.mark.parametrize("change, field", [
    ({"lat": "91"}, "lat"), ({"lng": ""}, "lng"), ({"name": ""}, "name"), ({"kind": "castle"}, "kind"),
    ({"daily_capacity": "-3"}, "daily_capacity"),
])
def test_bad_input_is_a_field_error_and_adds_nothing(admin_client, centre, change, field):
    response = admin_client.post(reverse("centre_bases", kwargs={"centre": centre.slug}), {**NEW, **change})
    assert response.status_code == 400 and field in response.context["form"].errors
    assert Base.objects.filter(centre=centre).count() == 1


def test_editing_audits_the_changed_fields_only(admin_client, centre):
    hq = centre.bases.get()
    response = admin_client.post(reverse("centre_base_edit", kwargs={"centre": centre.slug, "pk": hq.pk}), {
        "name": "本部", "kind": "hq", "address": hq.address, "lat": hq.lat, "lng": hq.lng, "daily_capacity": "120"})
    assert response.status_code == 302
    hq.refresh_from_db()
    assert hq.daily_capacity == 120
    assert AuditEntry.objects.get(action="base.updated").fields == ["daily_capacity"]


def test_another_centres_base_is_not_found(admin_client, centre, other_centre):
    theirs = other_centre.bases.get()
    kwargs = {"centre": centre.slug, "pk": theirs.pk}
    assert admin_client.get(reverse("centre_base_edit", kwargs=kwargs)).status_code == 404
    assert admin_client.post(reverse("centre_base_retire", kwargs=kwargs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.retired_at is None


def test_a_retired_base_stays_for_its_teams_but_is_offered_nowhere(admin_client, centre, tomorrow, today):
    satellite = settings_bases.save_base(centre, name="北サテライト", kind="satellite", address="", lat=36.6,
                                         lng=138.2, daily_capacity=None)
    team = Team.objects.create(centre=centre, date=today, number=1, base=satellite)
    response = admin_client.post(reverse("centre_base_retire", kwargs={"centre": centre.slug, "pk": satellite.pk}),
                                 {"action": "retire"})
    assert response.status_code == 302
    satellite.refresh_from_db()
    team.refresh_from_db()
    assert satellite.retired_at is not None and team.base == satellite
    assert list(centre.bases.active()) == [centre.bases.get(kind="hq")]
    with pytest.raises(VolunteerError):
        book(factories.make_volunteer(), centre, on=tomorrow, base=satellite)
    volunteer = factories.make_volunteer()
    admin_client.get(f"/v/{volunteer.token}/")
    assert "北サテライト" not in admin_client.get(reverse("volunteers:book", kwargs={"centre": centre.slug})).content.decode()
    admin_client.post(reverse("centre_base_retire", kwargs={"centre": centre.slug, "pk": satellite.pk}),
                      {"action": "restore"})
    satellite.refresh_from_db()
    assert satellite.retired_at is None
    assert [e.action for e in AuditEntry.objects.filter(object_type="centres.base").order_by("at", "pk")] == [
        "base.created", "base.retired", "base.restored"]


def test_the_last_headquarters_cannot_be_retired(centre):
    with pytest.raises(CentreSettingError):
        settings_bases.retire_base(centre.bases.get())
    assert centre.bases.get().retired_at is None
