"""資機材デスク over HTTP: a team chosen by its code or a member's QR, labels lent and taken back as scanned,
refusals told at the scan (409, nothing written), staff and a volunteer with the tool desk in force; the
labels page and the slip's list of what the team took."""
import json

import pytest
from django.test import Client
from django.urls import reverse

from ops.centres.models import AuditEntry
from ops.desk import codes
from ops.desk.models import DeskRole
from ops.dispatch.models import EquipmentItem, EquipmentKind, EquipmentLoan
from ops.dispatch.services import disband_team, dispatch, equipment
from tests import factories
from tests.desk.conftest_tools import (  # noqa: F401
    chainsaws,
    coordinator_client,
    desk_centre,
    desk_volunteer,
    items_of,
    shovels,
    team,
    volunteer_client,
)
from tests.dispatch.conftest import make_ready_need, make_team

pytestmark = pytest.mark.django_db


def scan(client, centre, code, mode="lend", chosen=None, status=200):
    response = client.post(reverse("desk:tools_scan", kwargs={"centre": centre.slug}),
                           json.dumps({"code": code, "mode": mode, "team": chosen}), content_type="application/json")
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_a_team_then_labels_lend_and_the_list_follows(coordinator_client, desk_centre, team, shovels,  # noqa: F811
                                                       chainsaws):  # noqa: F811
    c = coordinator_client
    chosen = scan(c, desk_centre, team.label)
    assert chosen["team"]["label"] == team.label and chosen["changed"] is False
    saw = items_of(chainsaws)[1]
    lent = scan(c, desk_centre, codes.item_code(saw), chosen=team.pk)
    assert lent["changed"] and lent["message"] == f"チェーンソー 2を{team.label}に貸し出しました。"
    lent = scan(c, desk_centre, codes.kind_code(shovels, 5), chosen=team.pk)
    assert [(t["name"], t["number"], t["quantity"], t["out"]) for t in lent["team"]["tools"]] == [
        ("チェーンソー", 2, 1, 1), ("スコップ", None, 5, 5)]
    assert equipment.in_stock(shovels) == 5

    back = scan(c, desk_centre, codes.kind_code(shovels, 2), mode="return", chosen=team.pk)
    assert [t["out"] for t in back["team"]["tools"]] == [1, 3]
    back = scan(c, desk_centre, codes.item_code(saw), mode="return")  # an item comes back without a team chosen
    assert back["team"]["tools"][0]["returned"] is True


def test_refusals_are_told_at_the_scan_and_write_nothing(coordinator_client, desk_centre, team, shovels,  # noqa: F811
                                                         chainsaws):  # noqa: F811
    c = coordinator_client
    saw = items_of(chainsaws)[0]
    refused = scan(c, desk_centre, codes.item_code(saw), status=409)  # no team chosen yet
    assert "班のQRコード" in refused["error"]
    other = make_team(desk_centre, 2)
    equipment.lend_item(team=other, item=saw)
    refused = scan(c, desk_centre, codes.item_code(saw), chosen=team.pk, status=409)
    assert refused["error"] == f"チェーンソー 1は{other.label}に貸出中です。"
    assert refused["team"]["label"] == team.label  # the desk keeps its team and list
    for junk in ("99999999999999999999", "²", "-1"):
        assert "班のQRコード" in scan(c, desk_centre, codes.kind_code(shovels), chosen=junk, status=409)["error"]
    refused = scan(c, desk_centre, codes.kind_code(shovels, 11), chosen=team.pk, status=409)
    assert "在庫が足りません（残り10）" in refused["error"]
    elsewhere = factories.make_centre()
    stranger = EquipmentKind.objects.create(centre=elsewhere, name="バール", total=3)
    assert scan(c, desk_centre, codes.kind_code(stranger), chosen=team.pk, status=409)["error"] == "別のセンターのコードです。"
    disband_team(team)
    assert "解散" in scan(c, desk_centre, team.label, status=409)["error"]
    assert "解散" in scan(c, desk_centre, codes.kind_code(shovels), chosen=team.pk, status=409)["error"]
    assert EquipmentLoan.objects.filter(team=team).count() == 0


@pytest.mark.parametrize("body", [b"{", b"[]", json.dumps({"code": ""}).encode(), json.dumps({"code": 5}).encode()])
def test_bad_bodies_get_400_with_words(coordinator_client, desk_centre, body):  # noqa: F811
    response = coordinator_client.post(reverse("desk:tools_scan", kwargs={"centre": desk_centre.slug}), body,
                                       content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]


def test_a_members_personal_qr_chooses_their_team(coordinator_client, desk_centre, team):  # noqa: F811
    member = team.crew()[1]
    link = reverse("volunteers:personal", kwargs={"token": member.volunteer.token})
    assert scan(coordinator_client, desk_centre, "https://example.org" + link)["team"]["id"] == team.pk
    loner = factories.make_attendance(desk_centre, date=desk_centre.today())
    link = reverse("volunteers:personal", kwargs={"token": loner.volunteer.token})
    assert "班に入っていません" in scan(coordinator_client, desk_centre, link, status=409)["error"]


def test_a_volunteer_with_the_tool_desk_lends_and_the_audit_names_the_desk_not_them(desk_centre, team,  # noqa: F811
                                                                                    shovels):  # noqa: F811
    helper = desk_volunteer(desk_centre)
    phone = volunteer_client(helper)
    page = phone.get(reverse("desk:tools", kwargs={"centre": desk_centre.slug}))
    assert page.status_code == 200 and "資機材デスク" in page.content.decode()
    answer = scan(phone, desk_centre, codes.kind_code(shovels, 2), chosen=team.pk)
    assert not any(a.volunteer.name in json.dumps(answer, ensure_ascii=False) for a in team.crew())  # no names
    entry = AuditEntry.objects.get(action="tools.lent")
    assert entry.user_id is None and entry.actor == f"デスク担当 資機材デスク (受付 #{helper.pk})"
    assert helper.volunteer.name not in entry.actor

    scanner_only = volunteer_client(desk_volunteer(desk_centre, DeskRole.Kind.SCAN))
    assert scanner_only.get(reverse("desk:tools", kwargs={"centre": desk_centre.slug})).status_code in (302, 403)
    scanner_only.post(reverse("desk:tools_scan", kwargs={"centre": desk_centre.slug}),
                      json.dumps({"code": codes.kind_code(shovels), "team": team.pk}), content_type="application/json")
    assert EquipmentLoan.objects.count() == 1


def test_labels_print_each_item_or_a_bundle_with_the_centre(coordinator_client, desk_centre, shovels,  # noqa: F811
                                                            chainsaws):  # noqa: F811
    url = reverse("dispatch:tool_labels", kwargs={"centre": desk_centre.slug})
    page = coordinator_client.get(url, {"kind": chainsaws.pk}).content.decode()
    assert page.count('class="tool-label"') == 3 and "No. 3" in page and desk_centre.name in page
    page = coordinator_client.get(url, {"kind": shovels.pk, "n": 5, "copies": 4}).content.decode()
    assert page.count('class="tool-label"') == 4 and "×5" in page and "<svg" in page

    numbered = coordinator_client.post(reverse("dispatch:tool_items", kwargs={"centre": desk_centre.slug,
                                                                              "kind": shovels.pk}), {"count": 2})
    assert numbered.status_code == 302 and f"kind={shovels.pk}" in numbered["Location"]
    assert list(EquipmentItem.objects.filter(kind=shovels).values_list("number", flat=True)) == [1, 2]
    coordinator_client.post(reverse("dispatch:tool_items", kwargs={"centre": desk_centre.slug, "kind": shovels.pk}),
                            {"count": 9})  # 2 + 9 > 10 held
    assert EquipmentItem.objects.filter(kind=shovels).count() == 2
    tools_page = coordinator_client.get(reverse("dispatch:tools", kwargs={"centre": desk_centre.slug})).content.decode()
    assert "番号付き 2" in tools_page and url in tools_page


def test_the_slip_lists_everything_the_team_took_with_numbers_back_or_not(desk_centre, team, shovels,  # noqa: F811
                                                                         chainsaws):  # noqa: F811
    record = dispatch(team, make_ready_need(desk_centre))
    saw = items_of(chainsaws)[2]
    equipment.lend_item(team=team, item=saw)
    equipment.lend_tools(team=team, kind=shovels, quantity=4)
    equipment.return_item(item=saw)
    page = Client().get(reverse("dispatch:slip", kwargs={"token": record.slip_token})).content.decode()
    tools = page.split('class="slip-tools"')[1].split("</dd>")[0]
    assert "チェーンソー No. 3" in tools and "返却済み" in tools and "スコップ × 4" in tools
