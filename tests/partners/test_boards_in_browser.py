"""三者連携 in chromium: the map board's card names the organisation, the job's step and date and the specialist
work still for a team with its skill, the hint says the skill refusal, and the card follows the job live; the
staff board's 技術系 block moves live; the resident's page on a phone. Screenshots in /tmp/h (boards-*.png)
and the usual screenshot folder."""
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from ops.centres.models import Role
from ops.needs.models import WorkType
from ops.partners import services
from tests import factories
from tests.dispatch.conftest import END_OF_DAY, make_team
from tests.e2e import conftest as e2e
from tests.e2e.conftest import DESKTOP, PHONE, no_horizontal_scroll
from tests.e2e.test_map_board_unpinned import marker_point, open_board
from tests.partners.conftest_boards import make_org, tarp_need

new_page, work_types, screenshot_dir = e2e.new_page, e2e.work_types, e2e.screenshot_dir  # the fixtures
pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/h")


@pytest.fixture
def centre(db, work_types):
    return factories.make_centre(latest_return_time=END_OF_DAY)


def shoot(page, screenshot_dir, name):
    page.screenshot(path=screenshot_dir / name, full_page=True)
    if SHOTS.is_dir():
        shutil.copy(screenshot_dir / name, SHOTS / name)


def roof_and_trees(centre, by):
    """A need with a roof (offered to an NPO, which scheduled it) and fallen trees still for a team."""
    need = tarp_need(centre, work_types=["tarp", "chainsaw", "mud"], district="川端")
    job = services.offer(need, make_org(centre), by=by, work_type=WorkType.objects.get(code="tarp"),
                         note="屋根の北側")
    job = services.accept(job, by=by)
    job = services.schedule(job, by=by, on=centre.today() + timedelta(days=2))
    return need, job


@pytest.mark.parametrize("viewport, name", [(DESKTOP, "boards-map-desktop.png"), (PHONE, "boards-map-phone.png")])
def test_the_map_card_shows_the_partner_job_and_the_skill_a_team_needs(browser, stack, centre, screenshot_dir,
                                                                       viewport, name):
    coordinator = factories.make_user(Role.COORDINATOR, centre)
    need, job = roof_and_trees(centre, coordinator)
    team = make_team(centre, 2)
    page = open_board(browser, stack, coordinator, viewport=viewport)
    page.wait_for_function(f"() => DVC.board && DVC.board.needs.has({need.pk})")
    assert page.evaluate(f"() => DVC.board.needs.get({need.pk}).props.pj") == "scheduled"
    if viewport is PHONE:
        page.evaluate(f"() => DVC.board.selectNeed({need.pk})")  # a tap on a 5 px dot is the unpinned tests' job
    else:
        page.mouse.click(*marker_point(page, need.pk))
    page.wait_for_selector(".partner-jobs li")
    card = page.inner_text("#need-card")
    on = job.scheduled_for
    assert "協力団体 · 日程決定" in card
    assert "NPO 屋根班" in card and "日程決定" in card and f"対応予定日 {on.month}/{on.day}" in card
    assert "倒木・流木の切断（チェーンソー） — 必要な技能: チェーンソー" in card
    page.check(f"input[name=team][value='{team.pk}']")
    page.wait_for_function("() => document.getElementById('dispatch-hint').textContent.includes('チェーンソー')")
    assert page.is_disabled("#dispatch-button")
    page.locator("#need-card").scroll_into_view_if_needed()
    assert no_horizontal_scroll(page)
    shoot(page, screenshot_dir, name)

    services.complete(job, by=coordinator, outcome="done")  # the organisation reports it: the card follows
    page.wait_for_selector(".partner-jobs li[data-status='done']")
    page.wait_for_function(f"() => !DVC.board.needs.get({need.pk}).props.pj")
    assert page.errors == []


def test_the_staff_boards_technical_block_moves_live(browser, stack, centre, screenshot_dir):
    coordinator = factories.make_user(Role.COORDINATOR, centre)
    viewer = factories.make_user(Role.VIEWER, centre)
    need = tarp_need(centre, technical=True)
    page = open_board(browser, stack, viewer, path=f"/c/{centre.slug}/board/")
    page.wait_for_selector("#live-state[data-state='live']")

    def figure(key):
        return page.inner_text(f"[data-partner-figure='{key}'] .n").strip()

    assert (figure("waiting"), figure("open"), figure("done_today")) == ("1", "0", "0")
    job = services.offer(need, make_org(centre), by=coordinator, work_type=WorkType.objects.get(code="tarp"))
    page.wait_for_function("() => document.querySelector(\"[data-partner-figure='open'] .n\").textContent === '1'")
    assert figure("waiting") == "0"
    services.complete(services.accept(job, by=coordinator), by=coordinator, outcome="done")
    page.wait_for_function(
        "() => document.querySelector(\"[data-partner-figure='done_today'] .n\").textContent === '1'")
    assert figure("open") == "0"
    assert "NPO 屋根班 対応済" in page.inner_text("#feed")
    shoot(page, screenshot_dir, "boards-staff-desktop.png")
    assert page.errors == []


def test_the_resident_page_on_a_phone(new_page, centre, screenshot_dir):
    coordinator = factories.make_user(Role.COORDINATOR, centre)
    need, job = roof_and_trees(centre, coordinator)
    page = new_page(PHONE)
    page.goto(_resident_path(need))
    on = job.scheduled_for
    text = page.inner_text("[data-partner-work]")
    assert f"屋根のブルーシート張り: NPO 屋根班が対応します（対応予定日 {on.month}/{on.day}）" in text
    assert "03-9999-0001" not in page.content() and "担当 次郎" not in page.content()
    assert no_horizontal_scroll(page)
    shoot(page, screenshot_dir, "boards-resident-phone.png")
    assert page.console_errors == []


def _resident_path(need):
    from django.urls import reverse

    return reverse("needs:resident", kwargs={"token": need.reference_token})
