"""Two coordinators on the same board, through the real stack (uvicorn, Redis, PostgreSQL): one dispatches,
the other's board follows live, and a stale board's dispatch is refused with the reason shown."""
import asyncio
import json

import pytest
import websockets
from django.test import Client

from ops.centres.models import Role
from ops.dispatch.services import dispatch, file_return_report
from tests import factories
from tests.dispatch.conftest import END_OF_DAY, make_ready_need, make_team
from tests.e2e.conftest import click_need_on_map

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def centre(db):
    return factories.make_centre(latest_return_time=END_OF_DAY)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_dispatch_and_return_reach_a_connected_board(stack, centre):
    cookie = session_cookie(factories.make_user(Role.COORDINATOR, centre))
    team, need = make_team(centre, 2), make_ready_need(centre)
    url = stack.server_url.replace("http://", "ws://") + f"/ws/c/{centre.slug}/board/"

    async def scenario():
        async with websockets.connect(url, additional_headers={"Cookie": f"sessionid={cookie}",
                                                               "Origin": stack.server_url}) as ws:
            from asgiref.sync import sync_to_async

            record = await sync_to_async(dispatch)(team, need)
            await sync_to_async(file_return_report)(record, outcome="completed", people=2, hours=3)
            messages = []
            while len(messages) < 2:
                message = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
                if message["kind"].startswith("dispatch."):
                    messages.append(message)
            return messages

    created, returned = asyncio.run(scenario())
    assert created["kind"] == "dispatch.created" and returned["kind"] == "dispatch.returned"
    assert returned["seq"] > created["seq"]
    assert created["data"]["need"] == {**created["data"]["need"], "id": need.pk, "status": "assigned"}
    assert created["data"]["team"]["need_id"] == need.pk
    assert returned["data"]["need"]["status"] == "completed"
    assert "090" not in json.dumps(created) + json.dumps(returned)


@pytest.mark.e2e
def test_two_coordinators_one_board(browser, stack, centre):
    need = make_ready_need(centre, people_needed=2, lat=centre.lat + 0.002, lng=centre.lng + 0.002)
    first_team, second_team = make_team(centre, 2), make_team(centre, 2)
    cookies = [session_cookie(factories.make_user(Role.COORDINATOR, centre)) for _ in range(2)]
    board = f"{stack.server_url}/c/{centre.slug}/map/"

    pages, errors = [], []
    for cookie in cookies:
        context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="ja-JP")
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": stack.server_url}])
        page = context.new_page()
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(board)
        page.wait_for_function(f"() => window.DVC && DVC.board && DVC.board.needs.has({need.pk})")
        pages.append(page)
    a, b = pages

    # Coordinator A clicks the need's dot on the canvas; B selects it too, with the other team.
    click_need_on_map(a, need)
    a.check(f"input[name=team][value='{first_team.pk}']")
    b.evaluate(f"DVC.board.selectNeed({need.pk})")
    b.wait_for_selector(f"#need-card h2:has-text('{need.label}')")
    b.check(f"input[name=team][value='{second_team.pk}']")
    assert not b.is_disabled("#dispatch-button")

    # B's board goes stale: its card and panel cannot refresh (the live socket still works).
    b.route("**/map/needs/*.json", lambda route: route.abort())
    b.route("**/map/panel/", lambda route: route.abort())

    a.click("#dispatch-button")
    a.wait_for_selector("#board-alert.success")
    assert f"{first_team.label}を{need.label}に送り出しました" in a.inner_text("#board-alert")

    # B sees the dot turn "assigned" live, then presses dispatch on its stale card and is told why not.
    b.wait_for_function(f"() => DVC.board.needs.get({need.pk}).props.s === 'assigned'")
    b.unroute("**/map/needs/*.json")
    b.unroute("**/map/panel/")
    b.click("#dispatch-button")
    b.wait_for_selector("#board-alert.error:has-text('必要人数は2人')")
    # ... and gets a fresh board: the team that went out is no longer offered, the button is off.
    b.wait_for_function(f"() => !document.querySelector(\"input[name=team][value='{first_team.pk}']\")")
    b.wait_for_function("() => document.getElementById('dispatch-button').disabled")
    for page in pages:
        page.context.close()
    assert errors == []


@pytest.mark.e2e
def test_after_the_latest_return_time_the_board_hint_says_what_the_server_says(browser, stack, centre):
    from datetime import time

    from django.utils import timezone

    from ops.dispatch.services import dispatch_refusal

    need = make_ready_need(centre, lat=centre.lat + 0.002, lng=centre.lng + 0.002)
    team = make_team(centre, 2)
    centre.latest_return_time = time(0, 0)  # passed, whatever the hour the tests run at
    centre.save(update_fields=["latest_return_time"])
    refused = dispatch_refusal(team, need, at=timezone.now())
    assert "帰着期限（00:00）を過ぎている" in refused

    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="ja-JP")
    context.add_cookies([{"name": "sessionid", "value": session_cookie(factories.make_user(Role.COORDINATOR, centre)),
                          "url": stack.server_url}])
    page = context.new_page()
    page.goto(f"{stack.server_url}/c/{centre.slug}/map/")
    page.wait_for_function(f"() => window.DVC && DVC.board && DVC.board.needs.has({need.pk})")
    assert refused in page.inner_text("#panel")
    page.evaluate(f"DVC.board.selectNeed({need.pk})")
    page.check(f"input[name=team][value='{team.pk}']")
    page.wait_for_function("text => document.getElementById('dispatch-hint').textContent === text", arg=refused)
    assert page.is_disabled("#dispatch-button")
    assert "送り出せます" not in page.inner_text("#dispatch-hint")
    context.close()
