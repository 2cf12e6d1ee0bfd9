"""A volunteer working a desk sees volunteers and needs by number, never a resident: the desk pages and their JSON,
filled as the morning fills them (a need scanned, a volunteer scanned, a team's tools lent), hold no resident's
name, kana, phone or address. The helper's personal page links only the desk staff gave them."""
import json

import pytest
from django.urls import reverse

from ops.desk.codes import kind_code, need_code
from ops.desk.models import DeskRole
from ops.desk.services import roles
from ops.dispatch.services import dispatch, form_team
from ops.dispatch.services.ledger import add_kind
from ops.needs.models import NeedStatus
from ops.volunteers.qr import absolute
from tests import factories
from tests.desk.conftest_roles import desk  # noqa: F401
from tests.security.conftest import RESIDENT, RESIDENT_SECRETS

pytestmark = pytest.mark.django_db
SECRETS = (*RESIDENT_SECRETS, RESIDENT["requester_kana"])


def _text(response) -> str:
    if "json" in response.get("Content-Type", ""):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_scan_desk_of_a_helper_shows_no_resident(desk):  # noqa: F811
    centre = desk.centre
    need = factories.make_need(centre, status=NeedStatus.READY, people_needed=2, **RESIDENT)
    roles.grant(desk.attendance, DeskRole.Kind.SCAN, by=desk.coordinator)
    other = factories.make_attendance(centre, factories.make_volunteer(name="送出 一郎"), date=centre.today())
    phone = desk.phone()
    url = lambda name: reverse(name, kwargs={"centre": centre.slug})  # noqa: E731
    answers = [phone.get(url("desk:scan"))]
    answers.append(_post(phone, url("desk:scan_code"), {"code": need_code(need)}))
    answers.append(_post(phone, url("desk:scan_code"), {
        "code": absolute(reverse("volunteers:personal", kwargs={"token": other.volunteer.token}))}))
    answers.append(phone.get(url("desk:scan")))
    assert [a.status_code for a in answers] == [200, 200, 200, 200]
    seen = "".join(_text(a) for a in answers)
    assert need.label in seen and "送出 一郎" in seen  # the desk works: the need by number, the volunteer by name
    assert [s for s in SECRETS if s in seen] == []
    refused = phone.get(url("desk:tools"))  # not the desk given: told so on their phone, not sent to a staff login
    assert refused.status_code == 403 and "任されていません" in refused.content.decode()


def test_the_tool_desk_of_a_helper_shows_no_resident(desk):  # noqa: F811
    centre = desk.centre
    need = factories.make_need(centre, status=NeedStatus.READY, **RESIDENT)
    member = factories.make_attendance(centre, factories.make_volunteer(), date=centre.today())
    team = form_team(centre=centre, on=centre.today(), members=[member.pk], leader=member.pk)
    dispatch(team, need)
    kind = add_kind(centre=centre, name="スコップ", quantity=5, by=desk.coordinator)
    roles.grant(desk.attendance, DeskRole.Kind.TOOLS, by=desk.coordinator)
    phone = desk.phone()
    url = reverse("desk:tools_scan", kwargs={"centre": centre.slug})
    answers = [phone.get(reverse("desk:tools", kwargs={"centre": centre.slug})),
               _post(phone, url, {"code": team.label, "mode": "lend"}),
               _post(phone, url, {"code": kind_code(kind, 2), "team": team.pk, "mode": "lend"})]
    assert [a.status_code for a in answers] == [200, 200, 200], [_text(a)[:200] for a in answers]
    seen = "".join(_text(a) for a in answers)
    assert "スコップ" in seen
    assert [s for s in SECRETS if s in seen] == []
    refused = phone.get(reverse("desk:scan", kwargs={"centre": centre.slug}))
    assert refused.status_code == 403 and "任されていません" in refused.content.decode()
