"""Records keep who did them after the staff account is deleted (the links are SET_NULL): the pages name the
deleted account in words instead of failing or going blank."""
import pytest
from django.urls import reverse

from ops.centres.models import AuditEntry, Role
from ops.needs.services import record_survey, set_status
from ops.permissions import MATRIX, Cap
from tests import factories

pytestmark = pytest.mark.django_db

DELETED = "削除されたアカウント"


def _need_page(client, need):
    return client.get(reverse("needs:detail", kwargs={"centre": need.centre.slug, "pk": need.pk}))


@pytest.mark.parametrize("role", [r for r in Role if Cap.VIEW_NEEDS in MATRIX[r]])
def test_need_page_shows_a_survey_whose_surveyor_was_deleted(client_as, centre, role):
    surveyor = factories.make_user(Role.INTAKE, centre, first_name="花子", last_name="調査")
    need = factories.make_need(centre)
    record_survey(need, by=surveyor, damage_type="above_floor", people_needed=4, days_needed=1)
    surveyor.delete()
    response = _need_page(client_as(role), need)
    assert response.status_code == 200
    body = response.content.decode()
    assert DELETED in body
    assert f"（（{DELETED}" not in body and f"({DELETED}" not in body  # the survey line brackets it once


def test_need_page_names_a_surveyor_who_still_has_an_account(client_as, centre):
    surveyor = factories.make_user(Role.INTAKE, centre, username="hanako")
    need = factories.make_need(centre)
    record_survey(need, by=surveyor, damage_type="above_floor", people_needed=4, days_needed=1)
    body = _need_page(client_as(Role.COORDINATOR), need).content.decode()
    assert "hanako" in body and DELETED not in body


def test_need_page_shows_a_status_change_whose_staff_account_was_deleted(client_as, centre):
    coordinator = factories.make_user(Role.COORDINATOR, centre)
    need = factories.make_need(centre)
    set_status(need, "on_hold", by=coordinator, reason="連絡待ち")
    coordinator.delete()
    response = _need_page(client_as(Role.COORDINATOR), need)
    assert response.status_code == 200
    history = response.content.decode().split("連絡待ち")[0].rsplit("<tr", 1)[1]
    assert DELETED in history


def test_audit_page_shows_an_entry_whose_staff_account_was_deleted(client_as, centre):
    gone = factories.make_user(Role.COORDINATOR, centre)
    AuditEntry.objects.create(centre=centre, user=gone, action="update", object_type="need", object_id="1",
                              fields=["status"])
    gone.delete()
    response = client_as(Role.ADMIN).get(reverse("centre_audit", kwargs={"centre": centre.slug}))
    assert response.status_code == 200
    body = response.content.decode()
    assert DELETED in body
    assert f"（（{DELETED}" not in body and f"({DELETED}" not in body  # the survey line brackets it once
