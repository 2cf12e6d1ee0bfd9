"""The audit trail names who changed which fields of needs, dispatches and personal data, never values, and who
opened a resident's personal data."""
from datetime import timedelta

import pytest
from django.urls import reverse

from ops.centres.models import AuditEntry, Role
from ops.needs.transitions import change_status
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_changes_to_a_need_are_recorded_with_field_names_only(centre):
    need = factories.make_need(centre, requester_name="監査 太郎", phone="090-1111-2222")
    need.phone = "090-3333-4444"
    need.save()
    entries = AuditEntry.objects.filter(object_type="needs.need", object_id=str(need.pk)).order_by("at", "id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].fields == ["phone"]
    assert entries[1].actor == "system"
    stored = " ".join(str(v) for e in entries for v in (e.fields, e.note, e.actor))
    assert "090-3333-4444" not in stored and "監査 太郎" not in stored


def test_status_changes_are_audited_with_the_acting_user(centre):
    """On the need's own entry (the status is written by UPDATE, which no save signal sees); the history line
    it leaves is not a second entry."""
    user = factories.make_user(Role.INTAKE, centre)
    need = factories.make_need(centre)
    change_status(need, "ready", by=user, reason="調査不要")
    entry = AuditEntry.objects.exclude(action="create").get()
    assert (entry.object_type, entry.object_id, entry.fields) == ("needs.need", str(need.pk), ["status"])
    assert entry.centre_id == centre.pk and entry.user == user


def test_the_request_user_is_the_actor(client, centre):
    user = factories.make_user(Role.ADMIN, centre)
    client.force_login(user)
    volunteer = factories.make_volunteer()
    from ops.audit import reset_actor, set_actor

    token = set_actor(user)
    try:
        volunteer.email = "new@example.jp"
        volunteer.save()
    finally:
        reset_actor(token)
    entry = AuditEntry.objects.filter(object_type="volunteers.volunteer", action="update").get()
    assert entry.user == user and entry.fields == ["email"]


def test_audit_page_is_for_administrators_only(client, centre):
    factories.make_need(centre)
    url = reverse("centre_audit", kwargs={"centre": centre.slug})
    client.force_login(factories.make_user(Role.COORDINATOR, centre))
    assert client.get(url).status_code == 403
    client.force_login(factories.make_user(Role.ADMIN, centre))
    response = client.get(url)
    assert response.status_code == 200
    assert "needs.need" in response.content.decode()


def test_audit_page_shows_only_this_centres_entries(client, centre, other_centre):
    factories.make_need(other_centre)
    client.force_login(factories.make_user(Role.ADMIN, centre))
    response = client.get(reverse("centre_audit", kwargs={"centre": centre.slug}))
    assert "needs.need" not in response.content.decode()


def _views(need, action="personal.view"):
    return AuditEntry.objects.filter(action=action, object_type="needs.need", object_id=str(need.pk))


def test_opening_a_residents_need_is_recorded_once_per_look(client_as, centre):
    """Who looked at a household (a welfare case above all) is on the trail: the person, the need, the time;
    never what the page showed. A reload within minutes is the same look."""
    need = factories.make_need(centre, requester_name="閲覧 花子", phone="090-5555-6666")
    url = reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk})
    coordinator = client_as(Role.COORDINATOR)
    for _ in range(3):
        assert coordinator.get(url).status_code == 200
    entry = _views(need).get()
    assert (entry.user, entry.centre_id, entry.fields, entry.note) == (coordinator.user, centre.pk, [], "")

    _views(need).update(at=entry.at - timedelta(minutes=11))  # a later look is a new entry
    coordinator.get(url)
    assert _views(need).count() == 2


def test_the_printable_card_is_recorded_as_such(client_as, centre):
    need = factories.make_need(centre)
    client_as(Role.INTAKE).get(reverse("needs:card", kwargs={"centre": centre.slug, "pk": need.pk}))
    assert _views(need, "personal.card").count() == 1 and not _views(need).exists()


def test_a_role_that_sees_no_personal_data_leaves_no_view_entry(client_as, centre):
    need = factories.make_need(centre)
    response = client_as(Role.VIEWER).get(reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk}))
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action__startswith="personal.").exists()


def test_the_audit_page_names_and_filters_the_looks(client_as, centre):
    need = factories.make_need(centre)
    client_as(Role.WELFARE).get(reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk}))
    admin = client_as(Role.ADMIN)
    url = reverse("centre_audit", kwargs={"centre": centre.slug})
    page = admin.get(url, {"action": "personal.view"}).content.decode()
    assert "個人情報の閲覧" in page and f"#{need.pk}" in page
    rows = page.split("<tbody")[1].split("</tbody>")[0].count("<tr")
    assert rows == 1  # the need's creation is filtered out
