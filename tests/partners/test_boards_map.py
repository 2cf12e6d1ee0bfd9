"""The coordinator's map board and 三者連携: the need card names the organisations a need went to and the
specialist work still for a team; the skill refusal reads the same on the card and from the dispatch API;
pins and lists mark needs with an open partner job. Nothing of a job's notes or an organisation's people."""
import json

import pytest
from django.urls import reverse

from mapping import selectors
from ops.centres.models import Role
from ops.dispatch.models import Dispatch
from ops.needs.models import WorkType
from ops.partners import services
from ops.privacy import AUDIENCES, FULL
from tests import factories
from tests.api.conftest import API, token_client
from tests.dispatch.conftest import make_team
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

pytestmark = pytest.mark.django_db
ROOF = "屋根作業（高所）"


def card(client, need) -> dict:
    response = client.get(reverse("mapping:need_card", kwargs={"centre": need.centre.slug, "need": need.pk}))
    assert response.status_code == 200
    return response.json()


def test_a_team_without_the_roof_skill_is_refused_a_tarp_need_in_the_same_words_on_card_and_api(
        client_as, centre):
    team, need = make_team(centre, 2), tarp_need(centre)
    shown = card(client_as(Role.COORDINATOR), need)
    refusal = shown["team_refusals"][str(team.pk)]
    assert ROOF in refusal and "屋根のブルーシート張り" in refusal and team.label in refusal

    api = token_client(factories.make_user(Role.COORDINATOR, centre))
    response = api.post(f"{API}/centres/{centre.slug}/dispatches/", {"team": team.pk, "need": need.pk},
                        format="json")
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == refusal
    assert not Dispatch.objects.exists()


def test_a_team_with_the_roof_skill_may_go(coordinator_client, centre):
    team, need = make_team(centre, 2, skills=["roof"]), tarp_need(centre)
    assert card(coordinator_client, need)["team_refusals"] == {str(team.pk): None}


def test_the_card_shows_the_specialist_work_still_for_a_team_with_its_skill(coordinator_client, centre):
    need = tarp_need(centre, work_types=["tarp", "mud"])
    assert card(coordinator_client, need)["specialist_work"] == [{"work": "屋根のブルーシート張り", "skill": ROOF}]


def test_work_an_organisation_took_is_no_longer_for_a_team(coordinator_client, centre, coordinator):
    team, need = make_team(centre, 2), tarp_need(centre, work_types=["tarp", "mud"])
    offer_tarp(need, make_org(centre), coordinator)
    shown = card(coordinator_client, need)
    assert shown["specialist_work"] == []
    assert shown["team_refusals"] == {str(team.pk): None}


def test_the_card_names_the_organisation_its_work_status_and_date(coordinator_client, centre, coordinator):
    need = tarp_need(centre)
    job = scheduled(offer_tarp(need, make_org(centre), coordinator), coordinator)
    shown = card(coordinator_client, need)
    assert shown["partner_jobs"] == [{
        "id": job.pk, "need_id": need.pk, "organisation": "NPO 屋根班", "work_type": "tarp",
        "work": "屋根のブルーシート張り", "status": "scheduled", "status_label": "日程決定",
        "scheduled_for": job.scheduled_for.isoformat(),
        "scheduled_label": f"{job.scheduled_for.month}/{job.scheduled_for.day}", "outcome": ""}]
    body = json.dumps(shown, ensure_ascii=False)
    for private in (JOB_NOTE, ORG_PHONE, ORG_CONTACT, "roof@example.org", "午前中", "鍵は代表が保管"):
        assert private not in body


def test_open_jobs_come_first_and_a_withdrawn_one_is_left_out(coordinator_client, centre, coordinator):
    need = tarp_need(centre, work_types=["tarp", "mud"])
    whole = services.offer(need, make_org(centre, "C会", capabilities=[]), by=coordinator)
    services.withdraw(whole, by=coordinator, reason="重複")
    first = offer_tarp(need, make_org(centre, "A会"), coordinator)
    services.decline(first, by=coordinator, reason="人手不足")
    second = offer_tarp(need, make_org(centre, "B会"), coordinator)
    jobs = card(coordinator_client, need)["partner_jobs"]
    assert [(j["organisation"], j["status"]) for j in jobs] == [("B会", "offered"), ("A会", "declined")]
    assert second.pk == jobs[0]["id"]


def test_pins_carry_the_open_jobs_status_and_lose_it_when_the_job_closes(coordinator_client, centre, coordinator):
    need, other = tarp_need(centre), tarp_need(centre)
    job = offer_tarp(need, make_org(centre), coordinator)
    url = reverse("mapping:needs_geojson", kwargs={"centre": centre.slug})

    def marks():
        features = coordinator_client.get(url).json()["features"]
        return {f["id"]: f["properties"].get("pj") for f in features}

    assert marks() == {need.pk: "offered", other.pk: None}
    services.accept(job, by=coordinator)
    assert marks()[need.pk] == "accepted"
    services.withdraw(job, by=coordinator, reason="重複")
    assert marks()[need.pk] is None


def test_the_unpinned_list_and_the_search_mark_needs_with_an_open_job(centre, coordinator):
    need = tarp_need(centre, lat=None, lng=None)
    offer_tarp(need, make_org(centre), coordinator)
    sight = AUDIENCES[FULL]
    assert selectors.unpinned(centre, sight=sight)["needs"][0]["partner"] == "offered"
    assert selectors.found(centre, sight=sight, words=str(need.number))[0]["partner"] == "offered"


def test_the_board_page_has_the_partner_words_for_its_script(coordinator_client, centre):
    page = coordinator_client.get(reverse("mapping:board", kwargs={"centre": centre.slug})).content.decode()
    assert 'data-partner="協力団体"' in page
    assert json.loads(page.split('id="board-labels" type="application/json">')[1].split("</script>")[0])[
        "partner_status"]["scheduled"] == "日程決定"  # for the lists' and pins' marks


def test_a_whole_need_job_reads_as_the_whole_need(coordinator_client, centre, coordinator):
    need = tarp_need(centre, work_types=["mud"])
    services.offer(need, make_org(centre, "重機の会", capabilities=[]), by=coordinator)
    (job,) = card(coordinator_client, need)["partner_jobs"]
    assert job["work"] == "ニーズ全体" and job["work_type"] is None
    assert WorkType.objects.get(code="mud").specialist_only is False
