# ruff: noqa: F811  (the fixtures imported from conftest_run are the tests' arguments)
"""The drill in chromium at 360 px: the staff board shows each 状況付与 live as the scenario plays it (and a bare
line for a call), the intake staff read the call on the calls panel, the controller's page shows the clock.
Screenshots in the usual folder and /tmp/h (drill-*.png)."""
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from ops.centres.models import Role
from ops.drills import services
from ops.drills.models import Drill
from ops.drills.opening import open_drill
from ops.drills.player import play_due
from ops.drills.reset import reset_drill
from tests.drills.conftest_run import home  # noqa: F401
from tests.e2e import conftest as e2e
from tests.e2e.conftest import PHONE, no_horizontal_scroll
from tests.e2e.test_map_board_unpinned import open_board

screenshot_dir, work_types = e2e.screenshot_dir, e2e.work_types  # the fixtures
pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/h")


def shoot(page, folder, name):
    page.screenshot(path=folder / name, full_page=True)
    if SHOTS.is_dir():
        shutil.copy(folder / name, SHOTS / name)


def test_the_staff_board_shows_the_injects_live_and_the_calls_panel_the_call(browser, stack, home, work_types,
                                                                              screenshot_dir):
    centre = open_drill(scenario="heavy_rain", by=home.admin, staff_from=home, speed=6)
    drill = services.start(centre.drill, by=home.admin)
    board = open_board(browser, stack, home.staff[Role.COORDINATOR], viewport=PHONE, path=f"/c/{centre.slug}/board/")
    board.wait_for_selector("#live-state[data-state='live']")
    assert board.inner_text("#drill-injects ol").strip() == ""
    # the scenario clock at 12:41: the morning's arrivals and calls, the 11:30 forecast and the 12:40 warning
    Drill.objects.filter(pk=drill.pk).update(started_at=drill.started_at - timedelta(seconds=(4 * 60 + 11) * 10))
    assert play_due(drill.pk) > 60
    board.wait_for_function("() => document.querySelector('#drill-injects ol').textContent.includes('大雨警報')")
    lines = board.inner_text("#drill-injects ol")
    assert "気象台から" in lines and "訓練の電話が鳴りました" in lines
    assert no_horizontal_scroll(board)
    shoot(board, screenshot_dir, "drill-board-phone.png")
    assert board.errors == []

    calls = open_board(browser, stack, home.staff[Role.INTAKE], viewport=PHONE, path=f"/c/{centre.slug}/drill/calls/")
    assert calls.locator(".drill-call").count() == 8 and "080-0000-" in calls.inner_text("main")
    assert no_horizontal_scroll(calls)
    shoot(calls, screenshot_dir, "drill-calls-phone.png")
    control = open_board(browser, stack, home.admin, viewport=PHONE, path=f"/c/{centre.slug}/drill/")
    assert control.inner_text("#drill-clock").startswith("12:4")
    assert "大雨警報が発表されました" in control.inner_text("main")
    assert no_horizontal_scroll(control)
    shoot(control, screenshot_dir, "drill-control-phone.png")
    assert calls.errors == [] and control.errors == []

    # the controller resets the drill: the board reloads, and the old run's 状況付与 leave its banner (they stayed
    # on it before: the snapshot has none, the banner is the page's own)
    reset_drill(centre, by=home.admin)
    board.wait_for_function("() => document.querySelector('#drill-injects ol').textContent.trim() === ''")
    assert board.locator("[data-count='volunteers_today'], #live-state").count() >= 1 and board.errors == []
