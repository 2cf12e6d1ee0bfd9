"""Browser fixtures: Debian's chromium driven by Playwright (never `playwright install`), against the
session `stack` (real uvicorn, Redis, Celery worker on the test database). Screenshots go to
$SCREENSHOT_DIR (default test-artifacts/screenshots), named in the README."""
import base64
import os
import re
from datetime import time, timedelta
from pathlib import Path

import pytest

from harness.stack import ROOT
from tests import factories

PHONE = {"width": 360, "height": 640}
PASSWORD = "correct-horse-battery"
OFFSITE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")
BLANK_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
# Tests run at any hour; a return deadline at the end of the day lets a dispatch "now" succeed.
END_OF_DAY = time(23, 59, 59, 999999)
DESKTOP = {"width": 1280, "height": 800}

@pytest.fixture(scope="session")
def screenshot_dir():
    path = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-artifacts" / "screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def new_page(browser, stack):
    """new_page(viewport=PHONE|DESKTOP, locale='ja-JP') -> a page in a fresh context on the live server."""
    contexts = []

    def make(viewport=DESKTOP, locale="ja-JP"):
        context = browser.new_context(viewport=viewport, locale=locale, base_url=stack.server_url,
                                      is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
        context.set_default_timeout(15000)
        contexts.append(context)
        # Map tiles come from an outside server the test machine cannot reach: a blank tile keeps the
        # console clean and the map drawn (Leaflet works without tiles).
        context.route(OFFSITE, lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


def login(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")  # not the language switch in the top bar
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def wait_count(page, key: str, value: int) -> None:
    """Until the staff board's counter `key` (e.g. "teams.dispatched") shows `value`."""
    page.wait_for_function(
        "([key, value]) => { const n = document.querySelector(`[data-count=\"${key}\"] .n`);"
        " return n && n.textContent.trim() === String(value); }", arg=[key, value])


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def click_need_on_map(page, need) -> None:
    """Click the need's dot on the map board's canvas, where a coordinator's mouse would, and wait for its card."""
    x, y = page.evaluate(f"""() => {{ const m = DVC.board.needs.get({need.pk}).marker;
        const p = DVC.board.map.latLngToContainerPoint(m.getLatLng());
        const r = document.getElementById('map').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }}""")
    page.mouse.click(x, y)
    page.wait_for_selector(f"#need-card h2:has-text('{need.label}')")


def switch_to_english(page):
    """The language switch in the top bar, as a user presses it; the choice then sticks to the context."""
    page.click("header button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.fixture
def work_types(db):
    """The work types the needs migration seeds (a transactional test flushes them)."""
    factories.ensure_work_types()


@pytest.fixture
def day_centre(db, work_types):
    """An open centre whose every name is ASCII, so any Japanese on an English page is the UI's own text."""
    from ops.centres.models import Base, Centre, Disaster

    disaster = Disaster.objects.create(name="July 2026 Heavy Rain", prefecture="Nagano",
                                       started_on=Centre().today() - timedelta(days=3))
    centre = Centre.objects.create(disaster=disaster, name="Riverside Volunteer Centre", slug="riverside",
                                   municipality="Riverside", prefecture="Nagano", lat=36.65, lng=138.18,
                                   status=Centre.Status.OPEN, latest_return_time=END_OF_DAY,
                                   opened_on=disaster.started_on, what_to_bring="Boots, gloves, water",
                                   # "Nagano" is no prefecture of the list a volunteer picks from: recruiting
                                   # nationwide, the recruitment scope (its own tests) refuses nobody here.
                                   recruitment_scope=Centre.Scope.NATIONAL)
    Base.objects.create(centre=centre, name="HQ", kind=Base.Kind.HQ, lat=centre.lat, lng=centre.lng)
    return centre


@pytest.fixture
def staff_user(day_centre):
    """staff_user(role, username) -> a user with that role at day_centre (password PASSWORD)."""

    return lambda role, username: factories.make_user(role, day_centre, username=username,
                                                      first_name=display_name(username))


def display_name(username: str) -> str:
    """A staff member's shown name: one made-up token that no interface word can equal ("Pat-leader")."""
    return f"Pat-{username}"


# Every string a user typed in the fixtures below: on a Japanese page these may appear in ASCII.
USER_DATA = ["Riverside Volunteer Centre", "July 2026 Heavy Rain", "Riverside", "Nagano", "Boots, gloves, water",
             "HQ", "Hanako Yamada", "YAMADA HANAKO", "1-2-3 Chuo, Riverside", "Chuo",
             "Mud under the floor of the living room", "Ken Sato", "SATO KEN", "Aya Mori", "MORI AYA",
             "City disaster office", "office@example.jp", "Light truck 1", "Jiro Sato (brother)"]


@pytest.fixture
def busy_centre(day_centre, staff_user):
    """day_centre in the middle of a day: a user per role, a need out with a team, one waiting, two volunteers
    checked in, a recipient for the report. Built through the services, all in ASCII."""
    from ops.centres.models import Role
    from ops.dispatch.services import dispatch, form_team
    from ops.needs.models import NeedStatus
    from ops.reports.models import ReportRecipient

    centre = day_centre
    for role in Role.values:
        staff_user(role, role)
    today = centre.today()
    people = [factories.make_attendance(centre, factories.make_volunteer(
        name=name, kana=kana, prefecture="Nagano", city="Riverside", emergency_name="Jiro Sato (brother)"),
        date=today) for name, kana in (("Ken Sato", "SATO KEN"), ("Aya Mori", "MORI AYA"))]
    need = factories.make_need(centre, requester_name="Hanako Yamada", requester_kana="YAMADA HANAKO",
                               address="1-2-3 Chuo, Riverside", district="Chuo", people_needed=2,
                               description="Mud under the floor of the living room", status=NeedStatus.READY)
    waiting = factories.make_need(centre, requester_name="Hanako Yamada", requester_kana="YAMADA HANAKO",
                                  phone="090-9999-0000", address="1-2-3 Chuo, Riverside", district="Chuo",
                                  lat=centre.lat - 0.002, lng=centre.lng - 0.001)
    team = form_team(centre=centre, on=today, members=[p.pk for p in people], leader=people[0].pk,
                     vehicle="Light truck 1")
    record = dispatch(team, need)
    ReportRecipient.objects.create(centre=centre, name="City disaster office", email="office@example.jp")
    return {"centre": centre, "need": need, "waiting": waiting, "team": team, "dispatch": record,
            "volunteer": people[0].volunteer, "attendance": people[0]}
