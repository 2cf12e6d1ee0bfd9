"""The staff board and 三者連携: its 技術系 block is ops.partners.figures.summary (the one home of the counts) in
the snapshot and on the page, partner.changed shows in the feed with the organisation's name and the job's
step, and the socket carries it to every audience; the limited one (viewers, leaders) gets the organisation's
name and nothing of the resident, nor of the job's notes or the organisation's people."""
import json

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from ops import events
from ops.boards import labels
from ops.boards.selectors import staff_snapshot
from ops.centres.models import Role
from ops.needs.services.survey import record_survey
from ops.partners import figures, services
from tests import factories
from tests.boards.conftest import WebsocketCommunicator, run_async, session_cookie
from tests.partners import conftest_boards as boards
from tests.partners.conftest_boards import (
    JOB_NOTE,
    ORG_CONTACT,
    ORG_PHONE,
    make_org,
    offer_tarp,
    scheduled,
    tarp_need,
)

centre, coordinator = boards.centre, boards.coordinator  # the fixtures
RESIDENT = {"requester_name": "秘密山ヒミツ太郎", "phone": "090-7777-3141", "address": "極秘市内緒町9-8-7",
            "description": "裏庭の金庫の番号は4321"}
PRIVATE = [*RESIDENT.values(), JOB_NOTE, ORG_PHONE, ORG_CONTACT, "roof@example.org", "鍵は代表が保管", "午前中",
           "人手不足の理由ZZ"]


def season(centre, by):
    """Jobs in every state, through the real services: one need waiting, one offered, one scheduled, one done
    today (its tarp done, the need stays open for the volunteers), one declined (its need waits again)."""
    org, other = make_org(centre), make_org(centre, "屋根の会")
    tarp_need(centre, technical=True, **RESIDENT)  # waiting: no organisation asked yet
    offer_tarp(tarp_need(centre, **RESIDENT), org, by)
    scheduled(offer_tarp(tarp_need(centre), org, by), by)
    done = services.accept(offer_tarp(tarp_need(centre), other, by), by=by)
    services.complete(done, by=by, outcome="done", note="完了")
    services.decline(offer_tarp(tarp_need(centre), other, by), by=by, reason="人手不足の理由ZZ")


def snapshot_of(client, centre) -> dict:
    response = client.get(reverse("boards:staff_snapshot", kwargs={"centre": centre.slug}))
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VIEWER, Role.LEADER])
def test_the_technical_block_is_the_figures_summary_for_every_audience(client_as, centre, coordinator, role):
    season(centre, coordinator)
    expected = figures.summary(centre, centre.today())
    assert (expected["waiting"], expected["offered"], expected["scheduled"], expected["done_today"],
            expected["open"]) == (2, 1, 1, 1, 2)
    snapshot = snapshot_of(client_as(role), centre)
    assert snapshot["partners"]["figures"] == expected
    assert len(snapshot["partners"]["need_ids"]) == 5  # every technical need still open
    assert snapshot["partners"]["specialist"] == ["chainsaw", "heavy", "tarp"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.VIEWER, Role.LEADER])
def test_the_limited_audience_reads_the_organisations_name_and_nothing_private(client_as, centre, coordinator,
                                                                               role):
    season(centre, coordinator)
    client = client_as(role)
    body = json.dumps(snapshot_of(client, centre), ensure_ascii=False)
    page = client.get(reverse("boards:staff", kwargs={"centre": centre.slug})).content.decode()
    assert "NPO 屋根班" in body and "NPO 屋根班" in page
    for text in (body, page):
        for private in PRIVATE:
            assert private not in text


@pytest.mark.django_db
def test_the_page_shows_the_technical_block_and_the_partner_events_in_the_feed(client_as, centre, coordinator):
    season(centre, coordinator)
    page = client_as(Role.VIEWER).get(reverse("boards:staff", kwargs={"centre": centre.slug})).content.decode()
    summary = figures.summary(centre, centre.today())
    assert "技術系（協力団体）" in page
    for key in ("waiting", "open", "done_today"):
        assert f'data-partner-figure="{key}">\n            <div class="n">{summary[key]}</div>' in page
    assert "協力団体への依頼" in page and "屋根の会 対応済" in page and "NPO 屋根班 日程決定" in page


@pytest.mark.django_db
def test_a_feed_line_names_the_organisation_and_the_step(centre, coordinator):
    job = offer_tarp(tarp_need(centre), make_org(centre), coordinator)
    services.accept(job, by=coordinator)
    event = staff_snapshot(centre)["events"][-1]
    assert event["kind"] == "partner.changed"
    line = labels.feed_line(event)
    assert line["kind"] == "協力団体への依頼" and line["tags"].endswith("NPO 屋根班 受諾")


@pytest.mark.django_db
def test_events_that_may_move_the_figures_are_known_to_the_script(centre, coordinator):
    """staff.js reloads on partner.changed, on events of needs the figures count or with specialist work, and on a
    survey: a survey marking a need technical is a need.changed without `fields`."""
    need = factories.make_need(centre, work_types=["mud"])
    record_survey(need, by=coordinator, damage_type="partial", people_needed=2, days_needed=1, volunteer_ok=False,
                  refusal_reason="屋根", technical=True)
    event = staff_snapshot(centre)["events"][-1]
    assert event["kind"] == "need.changed" and "fields" not in event["data"]
    assert need.pk in staff_snapshot(centre)["partners"]["need_ids"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("real_redis")
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VIEWER])
def test_the_socket_carries_partner_changed_with_the_organisation_and_nothing_private(centre, role):
    by = factories.make_user(Role.COORDINATOR, centre)
    need, org = tarp_need(centre, **RESIDENT), make_org(centre)
    cookie = session_cookie(factories.make_user(role, centre))
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1"), (b"cookie", cookie.encode())]

    async def scenario():
        communicator = WebsocketCommunicator(__import__("dvc.asgi").asgi.application, f"/ws/c/{centre.slug}/board/",
                                             headers=headers)
        connected, _detail = await communicator.connect(timeout=5)
        assert connected
        await sync_to_async(offer_tarp)(need, org, by)
        frames = []
        while True:
            message = await communicator.receive_json_from(timeout=5)
            if message.get("kind") != "heartbeat":
                frames.append(message)
            if message.get("kind") == "partner.changed":
                break
        await communicator.disconnect()
        return frames

    frames = run_async(scenario())
    event = frames[-1]
    assert event["data"]["job"]["organisation"] == "NPO 屋根班" and event["data"]["job"]["status"] == "offered"
    assert event["data"]["need"]["id"] == need.pk
    text = json.dumps(frames, ensure_ascii=False)
    for private in PRIVATE:
        assert private not in text
    assert events.KINDS["partner.changed"] == "協力団体への依頼"


@pytest.mark.django_db
def test_a_need_whose_specialist_work_an_organisation_finished_no_longer_waits_for_one(centre, coordinator):
    need = tarp_need(centre, work_types=["tarp", "mud"])
    job = services.accept(offer_tarp(need, make_org(centre), coordinator), by=coordinator)
    services.complete(job, by=coordinator, outcome="partly", note="北側のみ")
    assert need in figures.waiting_needs(centre)  # the rest of the roof still needs an organisation
    job = services.accept(offer_tarp(need, make_org(centre, "屋根の会"), coordinator), by=coordinator)
    services.complete(job, by=coordinator, outcome="done")
    assert need not in figures.waiting_needs(centre) and figures.summary(centre)["waiting"] == 0
