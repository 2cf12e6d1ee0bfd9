"""送り出し取消 in a real browser: the coordinator takes back a mistaken dispatch on the teams page, and a staff
board open elsewhere shows the team waiting and the need back to ready, live."""
import pytest

from ops.dispatch.models import Dispatch, Team
from ops.needs.models import NeedStatus
from tests.e2e.conftest import DESKTOP, login, no_horizontal_scroll, wait_count

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_takes_back_a_mistaken_dispatch_and_the_board_follows(new_page, busy_centre, screenshot_dir):
    centre, record, team = busy_centre["centre"], busy_centre["dispatch"], busy_centre["team"]
    board = new_page(DESKTOP)
    login(board, "viewer")
    board.goto(f"/c/{centre.slug}/board/")
    board.wait_for_selector('#live-state[data-state="live"]')
    wait_count(board, "teams.dispatched", 1)

    page = new_page(DESKTOP)
    login(page, "coordinator")
    page.goto(f"/c/{centre.slug}/dispatch/teams/")
    card = page.locator(f"#team-{team.pk}")
    assert not card.locator("input[name=reason]").is_visible()  # behind the disclosure: no stray tap
    card.locator("details.cancel-dispatch summary").click()
    card.locator("input[name=reason]").fill("Wrong team")
    card.screenshot(path=screenshot_dir / "dispatch-cancel-desktop.png")
    card.locator("details.cancel-dispatch button[type=submit]").click()
    page.wait_for_load_state("load")

    assert f"{team.label}の送り出しを取り消しました" in page.inner_text(".messages")
    assert "Wrong team" in page.inner_text("main")  # the day's dispatch list keeps it, with the reason
    assert page.locator("details.cancel-dispatch").count() == 0
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "dispatch-cancelled-desktop.png", full_page=True)
    wait_count(board, "teams.dispatched", 0)
    wait_count(board, "teams.ready", 1)
    record.refresh_from_db()
    team.refresh_from_db()
    need = busy_centre["need"]
    need.refresh_from_db()
    assert (record.status, team.status, need.status) == (Dispatch.Status.CANCELLED, Team.Status.READY,
                                                          NeedStatus.READY)
    assert page.console_errors == [] and board.console_errors == []
