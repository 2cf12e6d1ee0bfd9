"""Giving a checked-in volunteer a desk for the day (ops.desk.services.roles) and what it opens: the desk's
page for them, the link on their personal page; check-out or staff's end closes both."""
from datetime import timedelta

import pytest
from django.urls import reverse

from ops.audit import AuditEntry
from ops.desk.models import DeskRole
from ops.desk.services import roles
from ops.dispatch.services import form_team
from ops.volunteers.services import check_out
from tests import factories
from tests.desk.conftest_roles import desk  # noqa: F401

pytestmark = pytest.mark.django_db


def _personal(client, volunteer) -> str:
    return client.get(reverse("volunteers:personal", kwargs={"token": volunteer.token})).content.decode()


def test_a_granted_desk_shows_on_their_page_until_they_check_out(desk):  # noqa: F811
    role = roles.grant(desk.attendance, DeskRole.Kind.SCAN, by=desk.coordinator)
    assert roles.grant(desk.attendance, DeskRole.Kind.SCAN, by=desk.coordinator) == role  # a double tap: one role
    phone = desk.phone()
    scan_url = reverse("desk:scan", kwargs={"centre": desk.centre.slug})
    page = _personal(phone, desk.volunteer)
    assert "デスク担当：受付スキャン（班編成・送り出し） → 開く" in page and scan_url in page
    assert reverse("desk:tools", kwargs={"centre": desk.centre.slug}) not in page  # only the desk given
    assert AuditEntry.objects.filter(action="desk.granted", object_id=str(role.pk), user=desk.coordinator).exists()

    assert phone.get(scan_url).status_code == 200
    check_out(desk.attendance)
    assert not DeskRole.objects.in_force(desk.centre).exists()
    assert scan_url not in _personal(phone, desk.volunteer)
    assert phone.get(scan_url).status_code == 403  # the desk itself closes with the check-out


def test_staff_ending_a_desk_closes_it_and_a_second_end_keeps_the_first(desk):  # noqa: F811
    role = roles.grant(desk.attendance, DeskRole.Kind.TOOLS, by=desk.coordinator)
    ended = roles.end(role, by=desk.coordinator)
    first_end = ended.ended_at
    assert roles.end(role, by=desk.intake).ended_at == first_end
    assert not DeskRole.objects.in_force(desk.centre).exists()
    assert reverse("desk:tools", kwargs={"centre": desk.centre.slug}) not in _personal(desk.phone(), desk.volunteer)
    again = roles.grant(desk.attendance, DeskRole.Kind.TOOLS, by=desk.coordinator)  # given again later: a new role
    assert again.pk != role.pk and DeskRole.objects.in_force(desk.centre).get() == again


@pytest.mark.parametrize("why", ["checked_out", "yesterday", "in_team", "bad_kind"])
def test_a_desk_is_only_for_someone_here_today_and_free(desk, why):  # noqa: F811
    attendance, kind = desk.attendance, DeskRole.Kind.SCAN
    if why == "checked_out":
        check_out(attendance)
    elif why == "yesterday":
        attendance = factories.make_attendance(desk.centre, factories.make_volunteer(),
                                               date=desk.centre.today() - timedelta(days=1))
    elif why == "in_team":
        form_team(centre=desk.centre, on=desk.centre.today(), members=[attendance.pk], leader=attendance.pk)
    else:
        kind = "boss"
    with pytest.raises(roles.RoleRefused):
        roles.grant(attendance, kind, by=desk.coordinator)
    assert not DeskRole.objects.exists()
