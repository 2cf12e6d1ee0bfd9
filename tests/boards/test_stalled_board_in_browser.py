"""A board whose stream stalls, whatever the cause, says so and resyncs within a minute (issue 17: boards saw
no gap after a server process stopped delivering, so they never resynced). In chromium, on the live server with
its default timers: the socket is kept open but nothing more reaches the page (as from a stuck process), an
event is published meanwhile, and the board must show it."""
import pytest
from django.conf import settings

from ops import events
from ops.centres.models import Role
from ops.needs.state import need_state
from tests import factories
from tests.e2e.conftest import PASSWORD, login

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

STATES = """() => { window.__states = []; const el = document.getElementById('live-state');
  new MutationObserver(() => window.__states.push([el.dataset.state, el.textContent]))
    .observe(el, {attributes: true, childList: true, characterData: true, subtree: true}); }"""


def stall_first_socket(page):
    """The page's first board socket goes deaf once `stall["on"]` is set; later sockets pass everything."""
    stall = {"on": False, "sockets": 0}

    def handler(ws):
        stall["sockets"] += 1
        first = stall["sockets"] == 1
        server = ws.connect_to_server()
        server.on_message(lambda message: None if (first and stall["on"]) else ws.send(message))

    page.route_web_socket("**/ws/**", handler)
    return stall


def test_a_stalled_board_shows_it_and_resyncs_within_a_minute(new_page):
    assert settings.BOARD_STALE_SECONDS + settings.BOARD_HEARTBEAT_SECONDS < 60
    centre = factories.make_centre()
    factories.make_user(Role.VIEWER, centre, username="stall-viewer", password=PASSWORD)
    staff, public = new_page(), new_page()
    login(staff, "stall-viewer")
    stalls = {}
    for name, page, path in (("staff", staff, f"/c/{centre.slug}/board/"), ("public", public, f"/p/{centre.slug}/")):
        stalls[name] = stall_first_socket(page)
        page.goto(path)
        page.wait_for_selector('#live-state[data-state="live"]')
        page.evaluate(STATES)
        stalls[name]["on"] = True

    need = factories.make_need(centre)
    events.emit(centre, "need.created", {"need": need_state(need)}, public={"needs_received": 1})

    staff.wait_for_selector('[data-count="needs.new"] .n:text-is("1")', timeout=60000)
    public.wait_for_function("() => window.DVC.publicBoard.board.seq >= 1", timeout=60000)
    for name, page in (("staff", staff), ("public", public)):
        page.wait_for_selector('#live-state[data-state="live"]', timeout=10000)
        states = page.evaluate("window.__states")
        assert ["stalled", "受信が途絶えたため再同期中…"] in states, (name, states)
        assert stalls[name]["sockets"] >= 2, name  # it reconnected
        assert page.console_errors == [], name


def test_logging_out_elsewhere_stops_the_board_with_words_not_retries(new_page):
    """Logout closes the staff socket with 4401: the board says why and stops retrying (no more handshakes)."""
    centre = factories.make_centre()
    factories.make_user(Role.COORDINATOR, centre, username="stall-coordinator", password=PASSWORD)
    board = new_page()
    login(board, "stall-coordinator")
    sockets = []
    board.on("websocket", lambda ws: sockets.append(ws.url))
    board.goto(f"/c/{centre.slug}/board/")
    board.wait_for_selector('#live-state[data-state="live"]')

    other_tab = board.context.new_page()
    other_tab.goto("/")
    other_tab.click("form[action='/accounts/logout/'] button")
    other_tab.wait_for_load_state()
    board.wait_for_selector('#live-state[data-state="logged_out"]', timeout=10000)
    assert "ログアウト" in board.locator("#live-state").inner_text()
    board.wait_for_timeout(3000)
    assert len(sockets) == 1  # no retry after 4401
