"""Day one in a real browser (issue 18), touching no shell: an empty installation, the first administrator made at
the setup URL the server printed, a pin placed on the map, the first centre opened; a staff invitation shown on
screen and accepted on a phone by the person it was for, who lands on their work. Then the centre's first morning:
the administrator opens it, sets the return deadline, stocks the tool desk and invites a coordinator; a need is taken,
a volunteer registers and checks in on a phone by the poster's link, and the coordinator forms a team, lends it tools
and dispatches it on the map board. Screenshots: setup-*.png, then dayone-*.png."""
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from ops.centres.models import Centre, Membership, Role
from ops.dispatch.models import Dispatch, EquipmentKind, Team
from ops.needs.models import Need, NeedStatus
from ops.staff.firstrun import setup_path
from ops.volunteers.models import Attendance, Volunteer
from tests.e2e.conftest import DESKTOP, PHONE, click_need_on_map, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]
User = get_user_model()
ADMIN_PASSWORD = "chikuma-gawa-2026!"
INVITEE_PASSWORD = "sandbag-morning-77"


def test_day_one_from_an_empty_installation(new_page, stack, work_types, screenshot_dir):
    assert not User.objects.exists() and not Centre.objects.exists()
    admin = new_page(DESKTOP)

    # Without the key the page says where it is, and offers no form.
    admin.goto("/setup/")
    assert "make run DEMO=0" in admin.inner_text("main") and admin.locator("input[type=password]").count() == 0
    admin.screenshot(path=screenshot_dir / "setup-01-key-needed-desktop.png", full_page=True)
    admin.console_errors.clear()  # that page's 403, on purpose

    admin.goto(setup_path())
    admin.fill("input[name=admin-username]", "suzuki")
    admin.fill("input[name=admin-name]", "鈴木 一郎")
    admin.fill("input[name=admin-email]", "suzuki@shakyo.example.jp")
    admin.fill("input[name=admin-password]", ADMIN_PASSWORD)
    admin.fill("input[name=admin-password2]", ADMIN_PASSWORD)
    admin.fill("input[name=disaster_name]", "令和8年12月豪雨")
    admin.select_option("select[name=disaster_prefecture]", "長野県")
    admin.fill("input[name=started_on]", "2026-12-04")
    admin.fill("input[name=name]", "千曲市災害ボランティアセンター")
    admin.fill("input[name=slug]", "chikuma")
    admin.select_option("select[name=prefecture]", "長野県")
    admin.fill("input[name=municipality]", "千曲市")
    admin.fill("input[name=address]", "長野県千曲市杭瀬下1-1")
    admin.click("#opening-map")  # the pin, where the administrator taps
    assert admin.input_value("input[name=lat]") and admin.input_value("input[name=lng]")
    assert admin.locator("#opening-map .leaflet-marker-icon").count() == 1
    admin.screenshot(path=screenshot_dir / "setup-02-first-run-form-desktop.png", full_page=True)
    admin.click("main button.primary[type=submit]")
    admin.wait_for_url(re.compile(r"/c/chikuma/"))
    centre = Centre.objects.get(slug="chikuma")
    boss = User.objects.get(username="suzuki")
    assert boss.is_superuser and Membership.objects.filter(user=boss, centre=centre, role=Role.ADMIN).exists()
    assert 36 < centre.lat < 37 and 137 < centre.lng < 139

    # The staff page: an invitation for a phone without mail, its link shown on the screen.
    admin.goto(f"/c/{centre.slug}/staff/")
    link = invitation_link(admin, Role.RECEPTION)
    admin.screenshot(path=screenshot_dir / "setup-03-staff-invite-link-desktop.png", full_page=True)

    phone = new_page(PHONE)
    phone.goto(link)
    assert "千曲市災害ボランティアセンター" in phone.inner_text("main")
    phone.fill("input[name=username]", "tanaka")
    phone.fill("input[name=name]", "田中 花子")
    phone.fill("input[name=password]", INVITEE_PASSWORD)
    phone.fill("input[name=password2]", INVITEE_PASSWORD)
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=screenshot_dir / "setup-04-invitee-form-phone.png", full_page=True)
    phone.click("main button.primary[type=submit]")
    phone.wait_for_url(re.compile(r"/c/chikuma/volunteers/"))  # reception lands on volunteer reception
    phone.screenshot(path=screenshot_dir / "setup-05-invitee-lands-phone.png", full_page=True)
    invitee = User.objects.get(username="tanaka")
    assert set(Membership.objects.filter(user=invitee).values_list("role", flat=True)) == {Role.RECEPTION}

    # The link was for one person, once (a 404, on purpose).
    assert phone.console_errors == []
    phone.goto(link)
    assert "この招待リンクは使えません" in phone.inner_text("main")

    admin.goto(f"/c/{centre.slug}/staff/")
    assert "田中 花子" in admin.inner_text("main")
    admin.screenshot(path=screenshot_dir / "setup-06-staff-list-desktop.png", full_page=True)
    assert admin.console_errors == []
    first_morning(new_page, admin, centre, screenshot_dir)


def invitation_link(admin, role) -> str:
    """The staff page's one-time link for a new colleague with `role`, as shown on the screen."""
    admin.select_option("#invite-form select[name=role]", role)
    admin.click("#invite-form button[type=submit]")
    link = urlsplit(admin.inner_text("#invite-link").strip()).path  # the stack's SITE_URL is not its port
    assert link.startswith("/invite/")
    return link


def save_setting(page, form: str, fields: dict) -> None:
    """Fill a settings form (id form-<name>) and save it; the page comes back with its success message."""
    for name, value in fields.items():
        page.fill(f"#form-{form} [name={form}-{name}]", value)
    page.click(f"#form-{form} button[type=submit]")
    page.wait_for_selector(".messages .msg-success")


def first_morning(new_page, admin, centre, shots):
    slug = centre.slug
    # The administrator opens the centre, and sets a return deadline this test's hour cannot have passed.
    admin.goto(f"/c/{slug}/board/recruitment/")
    admin.check(f"#form-status input[name=status-status][value={Centre.Status.OPEN}]")
    admin.click("#form-status button[type=submit]")
    admin.wait_for_selector(".messages .msg-success")
    admin.screenshot(path=shots / "dayone-01-opened-desktop.png", full_page=True)
    admin.goto(f"/c/{slug}/settings/")
    save_setting(admin, "hours", {"activity_start": "00:00", "activity_end": "23:59", "latest_return_time": "23:59",
                                   "report_time": "23:59"})
    admin.screenshot(path=shots / "dayone-02-settings-desktop.png", full_page=True)
    centre.refresh_from_db()
    assert centre.status == Centre.Status.OPEN and centre.latest_return_time.strftime("%H:%M") == "23:59"

    # The tool desk's first stock.
    admin.goto(f"/c/{slug}/tools/")
    admin.fill("#tool-name", "スコップ")
    admin.fill("#tool-unit", "本")
    admin.fill("#tool-quantity", "10")
    admin.click("form:has(#tool-name) button[type=submit]")
    admin.wait_for_selector(".messages .msg-success")
    shovels = EquipmentKind.objects.get(centre=centre, name="スコップ")
    assert shovels.total == 10
    admin.screenshot(path=shots / "dayone-03-tool-desk-desktop.png", full_page=True)

    # A coordinator joins by a link on the screen.
    admin.goto(f"/c/{slug}/staff/")
    link = invitation_link(admin, Role.COORDINATOR)
    desk = new_page(DESKTOP)
    desk.goto(link)
    desk.fill("input[name=username]", "sato")
    desk.fill("input[name=name]", "佐藤 次郎")
    desk.fill("input[name=password]", INVITEE_PASSWORD)
    desk.fill("input[name=password2]", INVITEE_PASSWORD)
    desk.click("main button.primary[type=submit]")
    desk.wait_for_url(re.compile(rf"/c/{slug}/"))

    # The first need, taken at the counter by the administrator, with a pin, then ready for matching.
    admin.goto(f"/c/{slug}/needs/new/")
    admin.locator("#intake-map").click(position={"x": 200, "y": 140})
    admin.fill("input[name=requester_name]", "山田 花子")
    admin.fill("input[name=requester_kana]", "ヤマダ ハナコ")
    admin.fill("input[name=phone]", "090-1234-5678")
    admin.fill("input[name=address]", "長野県千曲市杭瀬下2-3-4")
    admin.fill("input[name=district]", "杭瀬下")
    admin.check("input[name=work_types][value=mud]")
    admin.fill("textarea[name=description]", "床下の泥出し")
    admin.fill("input[name=people_needed]", "1")
    admin.screenshot(path=shots / "dayone-04-first-need-desktop.png", full_page=True)
    admin.click("button.primary[type=submit]")
    admin.wait_for_url(re.compile(r"/needs/\d+/$"))
    admin.select_option("select[name=to]", NeedStatus.READY)
    admin.click("form[action$='/status/'] button[type=submit]")
    admin.wait_for_load_state("networkidle")
    need = Need.objects.get(centre=centre)
    assert need.status == NeedStatus.READY

    # The first volunteer registers on a phone, then checks in by the poster's link.
    phone = new_page(PHONE)
    phone.goto(f"/p/{slug}/volunteers/register/")
    phone.fill("input[name=name]", "高橋 健")
    phone.fill("input[name=kana]", "タカハシ ケン")
    phone.fill("input[name=phone]", "080-2222-3333")
    phone.select_option("select[name=age_band]", Volunteer.AgeBand.THIRTIES)
    phone.select_option("select[name=prefecture]", "長野県")
    phone.fill("input[name=city]", "長野市")
    phone.fill("input[name=emergency_name]", "高橋 妻")
    phone.fill("input[name=emergency_phone]", "080-4444-5555")
    phone.select_option("select[name=insurance]", Volunteer.Insurance.ENROLLED)
    phone.check("input[name=privacy]")
    phone.click("main button.primary[type=submit]")
    phone.wait_for_url(re.compile(r"/v/[^/]+/$"))
    phone.screenshot(path=shots / "dayone-05-registered-phone.png", full_page=True)
    desk.goto(f"/c/{slug}/volunteers/poster/")
    checkin_path = urlsplit(desk.inner_text(".poster-url").strip()).path
    phone.goto(checkin_path)
    for box in phone.locator("main form input[type=checkbox]").all():
        box.check()
    phone.click("main button.primary[type=submit]")
    phone.wait_for_selector(".big-status")
    phone.screenshot(path=shots / "dayone-06-checked-in-phone.png", full_page=True)
    volunteer = Volunteer.objects.get(phone="080-2222-3333")
    attendance = Attendance.objects.get(centre=centre, volunteer=volunteer, date=centre.today())
    assert attendance.checked_in_at is not None

    # The coordinator forms the first team with its leader, lends it two shovels and sends it on the map board.
    desk.goto(f"/c/{slug}/dispatch/teams/")
    desk.locator("form.form-team tr", has_text="高橋 健").locator("input[name=members]").check()
    desk.check("input[name=leader][aria-label$='高橋 健']")
    desk.click("form.form-team button.primary[type=submit]")
    desk.wait_for_selector(".messages .msg-success")
    team = Team.objects.get(centre=centre)
    assert team.leader_id == attendance.pk
    desk.fill(f"form[action$='/teams/{team.pk}/lend/'] input[name=quantity]", "2")
    desk.click(f"form[action$='/teams/{team.pk}/lend/'] button[type=submit]")
    desk.wait_for_selector(".messages .msg-success")
    desk.screenshot(path=shots / "dayone-07-team-formed-desktop.png", full_page=True)
    desk.goto(f"/c/{slug}/map/")
    desk.wait_for_function(f"() => window.DVC && DVC.board && DVC.board.needs.has({need.pk})")
    click_need_on_map(desk, need)
    desk.check(f"input[name=team][value='{team.pk}']")
    desk.click("#dispatch-button")
    desk.wait_for_selector("#board-alert.success")
    desk.screenshot(path=shots / "dayone-08-first-dispatch-desktop.png")
    assert Dispatch.objects.filter(team=team, need=need).count() == 1
    need.refresh_from_db()
    assert need.status == NeedStatus.ASSIGNED

    # The tool desk knows who holds the shovels.
    admin.goto(f"/c/{slug}/tools/")
    assert team.label in admin.inner_text("main")
    admin.screenshot(path=shots / "dayone-09-tools-out-desktop.png", full_page=True)
    assert admin.console_errors == [] and desk.console_errors == [] and phone.console_errors == []
