"""The デスク担当 page: staff who form teams find today's volunteers (name or their QR's link), give a desk, end it;
nobody else may."""
import pytest
from django.urls import reverse

from ops.desk.models import DeskRole
from ops.desk.services import roles
from ops.volunteers.qr import absolute
from ops.volunteers.services import check_out
from tests import factories
from tests.desk.conftest_roles import desk  # noqa: F401
from tests.searching import search

pytestmark = pytest.mark.django_db


def _url(d, name="desk:roles", **kw):
    return reverse(name, kwargs={"centre": d.centre.slug, **kw})


def test_staff_find_a_volunteer_by_name_or_qr_and_give_a_desk(desk):  # noqa: F811
    client = desk.staff()
    gone = factories.make_attendance(desk.centre, factories.make_volunteer(name="机上 帰宅", kana="キジョウ キタク"),
                                     date=desk.centre.today())
    check_out(gone)
    found = search(client, _url(desk), "キジョウ")
    page = found.content.decode()
    assert "机上 担当" in page and "机上 帰宅" not in page  # checked out: not offered
    assert all("キジョウ" not in url and "%E3" not in url for url, _status in found.redirect_chain)  # never in a URL
    qr_text = absolute(reverse("volunteers:personal", kwargs={"token": desk.volunteer.token}))
    found = search(client, _url(desk), qr_text)
    assert f'value="{desk.attendance.pk}"' in found.content.decode()
    assert all(desk.volunteer.token not in url for url, _status in found.redirect_chain)

    response = client.post(_url(desk), {"attendance": desk.attendance.pk, "kind": "tools"}, follow=True)
    role = DeskRole.objects.in_force(desk.centre).get()
    assert role.kind == "tools" and role.attendance == desk.attendance and role.granted_by == desk.coordinator
    assert "資機材デスク" in response.content.decode()

    client.post(_url(desk, "desk:role_end", pk=role.pk))
    assert not DeskRole.objects.in_force(desk.centre).exists()
    assert "本日終了した担当" in client.get(_url(desk)).content.decode()


def test_a_refused_grant_says_why_and_writes_nothing(desk):  # noqa: F811
    check_out(desk.attendance)
    response = desk.staff().post(_url(desk), {"attendance": desk.attendance.pk, "kind": "scan"}, follow=True)
    assert "活動を終了しています" in response.content.decode()
    assert not DeskRole.objects.exists()


def test_intake_staff_and_the_desk_volunteer_may_not_give_desks(desk):  # noqa: F811
    role = roles.grant(desk.attendance, DeskRole.Kind.SCAN, by=desk.coordinator)
    for client in (desk.staff(desk.intake), desk.phone()):
        assert client.get(_url(desk)).status_code in (302, 403)
        client.post(_url(desk), {"attendance": desk.attendance.pk, "kind": "tools"})
        client.post(_url(desk, "desk:role_end", pk=role.pk))
    assert list(DeskRole.objects.in_force(desk.centre)) == [role]
