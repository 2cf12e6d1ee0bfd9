"""The phone's side of issue 25 in chromium: a phone (a browser context with service workers allowed, at
360 px) on the live server, a slip of a team out at a need, a volunteer checked in today, and helpers that
switch the phone's network off and on and read what it keeps (outbox, caches, workers)."""
import pytest

from ops.dispatch.services import dispatch
from tests import factories
from tests.dispatch.conftest import END_OF_DAY, make_ready_need, make_team
from tests.e2e import conftest as e2e
from tests.e2e.conftest import PHONE

work_types, screenshot_dir = e2e.work_types, e2e.screenshot_dir  # the fixtures


@pytest.fixture
def centre(db, work_types):
    return factories.make_centre(latest_return_time=END_OF_DAY)


@pytest.fixture
def slip(centre):
    """A team out at a need: its dispatch (the slip's token is record.slip_token)."""
    return dispatch(make_team(centre, 2), make_ready_need(centre))


@pytest.fixture
def checked_in(centre):
    """A volunteer checked in at the centre today (not yet checked out)."""
    volunteer = factories.make_volunteer()
    return factories.make_attendance(centre, volunteer, date=centre.today())


@pytest.fixture
def phone(browser, stack):
    """phone() -> a page in a fresh phone context on the live server (service workers allowed)."""
    contexts = []

    def make():
        context = browser.new_context(viewport=PHONE, locale="ja-JP", base_url=stack.server_url, is_mobile=True,
                                      has_touch=True, service_workers="allow", timezone_id="Asia/Tokyo")
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


def worker_ready(page):
    """Until the page's service worker is active and has kept the page and its files (the panel says so)."""
    page.wait_for_selector("[data-outbox-panel][data-worker-state=kept]", state="attached")


def offline(page, on=True):
    page.context.set_offline(on)


def outbox(page):
    return page.evaluate("() => JSON.parse(localStorage.getItem('dvc.outbox') || '[]')")


def cached_urls(page):
    """Every URL in every cache of this origin, read from the page."""
    return page.evaluate("""async () => { const urls = [];
        for (const name of await caches.keys()) {
          for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        } return urls; }""")


def fill_report(page, *, hours="2.5", work_done="床下の泥出し"):
    page.check("#report input[name=outcome][value=completed]")
    page.fill("#report input[name=hours]", hours)
    page.fill("#report textarea[name=work_done]", work_done)


def workers(page):
    return page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).map(r => r.scope)")


def kept_storage(page):
    return page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('dvc.'))")


def lose_answers(page, path):
    """The phone's POSTs to `path` reach the server, and the answer is lost on the way back. Returns the
    statuses the server answered."""
    answered = []

    def handler(route):
        if route.request.method != "POST":
            route.continue_()
            return
        answered.append(route.fetch().status)
        route.abort()

    page.route(f"**{path}", handler)
    return answered
