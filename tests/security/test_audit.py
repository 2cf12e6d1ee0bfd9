"""The audit trail names who changed which fields of needs, dispatches and personal data, never values."""
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
    user = factories.make_user(Role.INTAKE, centre)
    need = factories.make_need(centre)
    change_status(need, "ready", by=user, reason="調査不要")
    entry = AuditEntry.objects.get(object_type="needs.needstatuschange")
    assert entry.centre_id == centre.pk
    assert entry.action == "create"


def test_the_request_user_is_the_actor(client, centre):
    user = factories.make_user(Role.ADMIN, centre)
    client.force_login(user)
    volunteer = factories.make_volunteer()
    from ops.centres.auditing import reset_actor, set_actor

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
