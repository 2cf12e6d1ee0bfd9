"""受付スキャン in chromium with a fake camera (tests/desk/fakecam.py): the need's card QR and four volunteers'
personal QR read through scanner.js, the team forms as they are read, then a leader tap and 送り出す — two taps
after the scans — and the leader's slip QR shows on the desk. On a phone's width."""
import pytest

from ops.centres.models import Role
from ops.desk.codes import need_code
from ops.dispatch.models import Team
from ops.needs.models import NeedStatus
from tests import factories
from tests.conftest import CHROMIUM_ARGS
from tests.desk import fakecam
from tests.desk.conftest_scan import need, person, personal_link
from tests.dispatch.conftest import END_OF_DAY
from tests.e2e.conftest import PASSWORD, PHONE, login, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_phone_desk_scans_a_need_and_four_people_and_sends_them_with_two_taps(browser, stack, tmp_path):
    centre = factories.make_centre(latest_return_time=END_OF_DAY)
    factories.make_user(Role.COORDINATOR, centre, username="desk-coord", password=PASSWORD)
    job = need(centre, people=4)
    people = [person(centre) for _ in range(4)]
    shots = [(None, 1.5), (need_code(job), 0.6)]
    for a in people:
        shots += [(None, 0.3), (personal_link(a), 0.6)]
    video = fakecam.video(tmp_path / "desk.y4m", shots + [(None, 60)])

    camera = browser.browser_type.launch(executable_path=browser_path(), args=CHROMIUM_ARGS + fakecam.flags(video),
                                         headless=True)
    try:
        context = camera.new_context(viewport=PHONE, locale="ja-JP", base_url=stack.server_url, is_mobile=True,
                                     has_touch=True)
        context.set_default_timeout(20000)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        login(page, "desk-coord")
        page.goto(f"/c/{centre.slug}/desk/")
        page.wait_for_selector("#desk[data-camera='jsqr'], #desk[data-camera='native']")
        page.wait_for_selector("#desk-members li.desk-member:nth-child(4)")
        assert job.label in page.inner_text("#desk-need")
        assert no_horizontal_scroll(page)

        taps = 0
        page.click(f"#desk-members li[data-attendance='{people[3].pk}'] .leader-btn")
        taps += 1
        page.wait_for_selector(f"#desk-members li.is-leader[data-attendance='{people[3].pk}']")
        page.click("#desk-send")
        taps += 1
        page.wait_for_selector("#desk-sent:not([hidden]) svg")
        assert taps == 2 and errors == []
        team = Team.objects.get(centre=centre)
        assert page.inner_text("#desk-sent-title") == team.label
        assert team.status == Team.Status.DISPATCHED and team.leader_id == people[3].pk and team.members.count() == 4
        job.refresh_from_db()
        assert job.status == NeedStatus.ASSIGNED
    finally:
        camera.close()


def browser_path():
    import shutil

    return shutil.which("chromium") or "/usr/bin/chromium"
