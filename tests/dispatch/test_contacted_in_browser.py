"""連絡済み on the staff board in a real browser: the coordinator's board offers it on a team that turns overdue
live, the button records it, and another board shows the mark from the event, without a reload."""
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.centres.models import Role
from ops.dispatch.services import dispatch
from tests import factories
from tests.dispatch.conftest import END_OF_DAY, make_ready_need, make_team
from tests.e2e.conftest import PASSWORD, login, new_page, screenshot_dir  # noqa: F401, F811 (the browser fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def live_board(open_page, username, centre):
    page = open_page()
    login(page, username)
    page.goto(f"/c/{centre.slug}/board/")
    page.wait_for_selector('#live-state[data-state="live"]')
    page.evaluate("window.__notReloaded = true")
    return page


def test_the_board_offers_contacted_on_an_overdue_team_and_every_board_shows_it(new_page):  # noqa: F811
    centre = factories.make_centre(latest_return_time=END_OF_DAY)
    factories.make_user(Role.COORDINATOR, centre, username="contact-coord", password=PASSWORD)
    factories.make_user(Role.VIEWER, centre, username="contact-viewer", password=PASSWORD)
    coord = live_board(new_page, "contact-coord", centre)
    viewer = live_board(new_page, "contact-viewer", centre)

    now = timezone.now()
    team = make_team(centre, 2)
    dispatch(team, make_ready_need(centre), at=now - timedelta(minutes=2), return_by=now - timedelta(minutes=1))
    row = f"#teams-body tr[data-team='{team.pk}']"
    coord.wait_for_selector(f"{row}.overdue form.contact-form button")
    viewer.wait_for_selector(f"{row}.overdue")
    assert viewer.locator(f"{row} form").count() == 0  # the city's viewer does not direct the field

    coord.click(f"{row} form.contact-form button")
    coord.wait_for_selector(f"{row} .badge.contacted")
    mark = viewer.wait_for_selector(f"{row} .badge.contacted")
    assert mark.inner_text().startswith("連絡済み ")
    assert viewer.evaluate("window.__notReloaded") is True
    assert coord.console_errors == [] and viewer.console_errors == []
