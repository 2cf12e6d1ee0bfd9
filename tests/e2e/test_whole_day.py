"""One day at the centre in real browsers, against the real stack (uvicorn, Redis, PostgreSQL, Celery):

intake records a need with a pin on the map; a volunteer pre-registers and checks in on a phone through the
day's QR link; a coordinator forms a team and dispatches it on the map board while a second browser shows
the staff board and a third the public board, both following without reload; the leader files the return
report from the slip on the phone; the daily report is sent by "send now", built by a real worker, and its
mail arrives at a real SMTP server. Screenshots of each key screen go to the screenshot folder.
"""
import email
import re
import time as clock
from email import policy
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from harness import Stack, free_port
from ops.centres.models import Role
from ops.dispatch.models import Dispatch, ReturnReport, Team
from ops.needs.models import Need, NeedStatus
from ops.reports.models import DailyReport, ReportRecipient
from ops.reports.render import daily_subject
from ops.volunteers.models import Attendance, Volunteer
from tests import factories
from tests.conftest import _database_url
from tests.e2e.conftest import DESKTOP, PHONE, click_need_on_map, login, no_horizontal_scroll, wait_count
from tests.smtp import Inbox

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def count(page, key: str) -> str:
    return page.inner_text(f'[data-count="{key}"] .n').strip()


def wait_field(page, name: str, value: int) -> None:
    page.wait_for_function(
        "([name, value]) => { const n = document.querySelector(`[data-field=\"${name}\"]`);"
        " return n && n.textContent.trim() === String(value); }", arg=[name, value])


def open_live(page, url: str) -> None:
    """Open a board and mark the document: the mark survives only if the page is never reloaded."""
    page.goto(url)
    page.wait_for_selector('#live-state[data-state="live"]')
    page.evaluate("window.__sameDocument = true")


def still_same_document(page) -> bool:
    return page.evaluate("window.__sameDocument === true")


def test_a_whole_day_at_the_centre(new_page, stack, day_centre, staff_user, screenshot_dir, django_db_blocker):
    centre, shots = day_centre, screenshot_dir
    slug = centre.slug
    staff_user(Role.INTAKE, "intake")
    staff_user(Role.COORDINATOR, "coordinator")
    staff_user(Role.VIEWER, "cityhall")
    ReportRecipient.objects.create(centre=centre, name="City disaster office", email="office@example.jp")
    # A volunteer checked in at the desk before the boards were opened (the snapshot counts them).
    factories.make_attendance(centre, factories.make_volunteer(
        name="Ken Sato", kana="SATO KEN", prefecture="Nagano", city="Riverside"), date=centre.today())

    # Second and third browsers: the staff board (city hall, read-only role) and the public board.
    staff_board = new_page(DESKTOP)
    login(staff_board, "cityhall")
    open_live(staff_board, f"/c/{slug}/board/")
    public_board = new_page(DESKTOP)
    open_live(public_board, f"/p/{slug}/")
    assert count(staff_board, "volunteers.in") == "1"
    wait_field(public_board, "volunteers_today", 1)
    wait_field(public_board, "needs_received_total", 0)

    # --- Intake (desktop): the need is placed with a click on the map --------------------------------------
    intake = new_page(DESKTOP)
    login(intake, "intake")
    intake.goto(f"/c/{slug}/needs/new/")
    intake.locator("#intake-map").click(position={"x": 200, "y": 140})
    lat = float(intake.input_value("input[name=lat]"))
    lng = float(intake.input_value("input[name=lng]"))
    assert abs(lat - centre.lat) < 0.02 and abs(lng - centre.lng) < 0.02
    intake.fill("input[name=requester_name]", "Hanako Yamada")
    intake.fill("input[name=requester_kana]", "YAMADA HANAKO")
    intake.fill("input[name=phone]", "090-1234-5678")
    intake.fill("input[name=address]", "1-2-3 Chuo, Riverside")
    intake.fill("input[name=district]", "Chuo")
    intake.check("input[name=work_types][value=mud]")
    intake.fill("textarea[name=description]", "Mud under the floor of the living room")
    intake.fill("input[name=people_needed]", "2")
    intake.screenshot(path=shots / "day-01-intake-desktop.png", full_page=True)
    intake.click("button.primary[type=submit]")
    intake.wait_for_url(re.compile(r"/needs/\d+/$"))
    need = Need.objects.get(centre=centre)
    assert (round(need.lat, 6), round(need.lng, 6)) == (round(lat, 6), round(lng, 6))
    assert need.label in intake.inner_text("h1")
    wait_field(public_board, "needs_received_total", 1)
    wait_count(staff_board, "needs.new", 1)

    # The need is made ready for matching on its page (no survey visit today).
    intake.select_option("select[name=to]", NeedStatus.READY)
    intake.click("form[action$='/status/'] button[type=submit]")
    intake.wait_for_load_state("networkidle")
    need.refresh_from_db()
    assert need.status == NeedStatus.READY
    wait_count(staff_board, "needs.ready", 1)

    # --- A volunteer pre-registers on a phone, then checks in by the day's QR link ---------------------------
    phone = new_page(PHONE)
    phone.goto(f"/p/{slug}/volunteers/register/")
    assert no_horizontal_scroll(phone)
    phone.fill("input[name=name]", "Taro Suzuki")
    phone.fill("input[name=kana]", "SUZUKI TARO")
    phone.fill("input[name=phone]", "080-2222-3333")
    phone.select_option("select[name=age_band]", Volunteer.AgeBand.THIRTIES)
    phone.fill("input[name=city]", "Riverside")
    phone.fill("input[name=emergency_name]", "Jiro Suzuki (brother)")
    phone.fill("input[name=emergency_phone]", "080-4444-5555")
    phone.select_option("select[name=insurance]", Volunteer.Insurance.ENROLLED)
    phone.check("input[name=skills][value=driver]")
    phone.check("input[name=privacy]")
    phone.screenshot(path=shots / "day-02-register-phone.png", full_page=True)
    phone.click("main button.primary[type=submit]")
    phone.wait_for_url(re.compile(r"/v/[^/]+/$"))
    volunteer = Volunteer.objects.get(phone="080-2222-3333")
    assert no_horizontal_scroll(phone)

    coordinator = new_page(DESKTOP)
    login(coordinator, "coordinator")
    coordinator.goto(f"/c/{slug}/volunteers/poster/")
    checkin_path = urlsplit(coordinator.inner_text(".poster-url").strip()).path
    assert checkin_path.startswith(f"/p/{slug}/checkin/")
    coordinator.screenshot(path=shots / "day-03-poster-desktop.png")

    phone.goto(checkin_path)  # what the camera opens after scanning the poster
    assert no_horizontal_scroll(phone)
    for box in phone.locator("main form input[type=checkbox]").all():
        box.check()
    phone.screenshot(path=shots / "day-04-checkin-phone.png", full_page=True)
    phone.click("main button.primary[type=submit]")
    phone.wait_for_selector(".big-status")
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=shots / "day-05-checked-in-phone.png", full_page=True)
    attendance = Attendance.objects.get(centre=centre, volunteer=volunteer, date=centre.today())
    assert attendance.checked_in_at is not None
    wait_field(public_board, "volunteers_today", 2)
    wait_count(staff_board, "volunteers.in", 2)

    # --- The coordinator forms a team and dispatches it on the map board -----------------------------------
    coordinator.goto(f"/c/{slug}/dispatch/teams/")
    for who in ("Taro Suzuki", "Ken Sato"):
        coordinator.locator("form.form-team tr", has_text=who).locator("input[name=members]").check()
    coordinator.check("input[name=leader][aria-label$='Taro Suzuki']")
    coordinator.click("form.form-team button.primary[type=submit]")
    coordinator.wait_for_selector(".messages .msg-success")
    team = Team.objects.get(centre=centre)
    assert team.status == Team.Status.READY and team.leader_id == attendance.pk
    assert sorted(team.members.values_list("volunteer__name", flat=True)) == ["Ken Sato", "Taro Suzuki"]
    wait_count(staff_board, "teams.ready", 1)

    coordinator.goto(f"/c/{slug}/map/")
    coordinator.wait_for_function(f"() => window.DVC && DVC.board && DVC.board.needs.has({need.pk})")
    click_need_on_map(coordinator, need)
    coordinator.check(f"input[name=team][value='{team.pk}']")
    coordinator.screenshot(path=shots / "day-06-map-board-desktop.png")
    coordinator.click("#dispatch-button")
    coordinator.wait_for_selector("#board-alert.success")
    assert f"{team.label}を{need.label}に送り出しました" in coordinator.inner_text("#board-alert")
    slip_href = coordinator.locator("#board-alert a").first.get_attribute("href")
    coordinator.screenshot(path=shots / "day-07-map-board-dispatched-desktop.png")
    record = Dispatch.objects.get(team=team, need=need)
    assert slip_href.endswith(f"/s/{record.slip_token}/")
    need.refresh_from_db()
    assert need.status == NeedStatus.ASSIGNED

    # The other two browsers follow without reload.
    wait_count(staff_board, "needs.assigned", 1)
    wait_count(staff_board, "teams.dispatched", 1)
    staff_board.wait_for_selector(f"#teams-body tr[data-team='{team.pk}']:has-text('{need.label}')")
    staff_board.screenshot(path=shots / "day-08-staff-board-desktop.png", full_page=True)
    public_board.screenshot(path=shots / "day-09-public-board-desktop.png", full_page=True)

    # --- The leader opens the slip on the phone and files the return report ---------------------------------
    phone.goto(urlsplit(slip_href).path)
    phone.wait_for_selector("#report")
    assert need.label in phone.inner_text("h1")
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=shots / "day-10-slip-phone.png", full_page=True)
    phone.check("input[name=outcome][value=completed]")
    phone.fill("input[name=people]", "2")
    phone.fill("input[name=hours]", "3.5")
    phone.fill("textarea[name=work_done]", "Removed the mud, washed the floor")
    phone.locator("#report").screenshot(path=shots / "day-11-return-report-phone.png")
    phone.click("#report button.primary[type=submit]")
    phone.wait_for_selector("#report-done:not([hidden])")  # sent by the phone's outbox (ops/offline)
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=shots / "day-12-report-filed-phone.png", full_page=True)
    need.refresh_from_db()
    assert need.status == NeedStatus.COMPLETED
    report = ReturnReport.objects.get(dispatch=record)
    assert (report.outcome, report.people, float(report.hours)) == ("completed", 2, 3.5)

    wait_count(staff_board, "needs.completed", 1)
    wait_count(staff_board, "needs.assigned", 0)
    wait_count(staff_board, "teams.returned", 1)
    wait_field(public_board, "needs_completed_today", 1)
    wait_field(public_board, "needs_completed_total", 1)
    staff_board.screenshot(path=shots / "day-13-staff-board-after-return-desktop.png", full_page=True)
    public_board.screenshot(path=shots / "day-14-public-board-after-return-desktop.png", full_page=True)
    assert still_same_document(staff_board) and still_same_document(public_board)

    # The coordinator reads the team's report on the need's page: the next visit is planned from it.
    coordinator.goto(f"/c/{slug}/needs/{need.pk}/")
    activity = coordinator.locator("#activities")
    assert "Removed the mud, washed the floor" in activity.inner_text()
    assert "T-01" in activity.inner_text()
    coordinator.locator("section:has(#activities)").screenshot(path=shots / "day-14b-need-activity-desktop.png")

    # --- The daily report: "send now", a real worker, a real SMTP server -------------------------------------
    port = free_port()
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    with django_db_blocker.unblock():
        db_url = _database_url()
    mail_worker = Stack(postgres=False, redis=False)
    stack.stop_process("worker")  # so the task is surely taken by the worker whose mail goes to our server
    try:
        mail_worker.start_worker(env=stack.env(EMAIL_URL=f"smtp://127.0.0.1:{port}", DATABASE_URL=db_url),
                                 name="mailworker")
        coordinator.goto(f"/c/{slug}/reports/")
        coordinator.click(".report-actions button[type=submit]")
        coordinator.wait_for_selector("#report-status[data-state='queued']")
        # status.js polls and reloads the page once the worker has built and sent the report.
        coordinator.wait_for_selector("#report-status[data-state='sent']", timeout=90000)
        coordinator.screenshot(path=shots / "day-15-report-sent-desktop.png", full_page=True)
        deadline = clock.monotonic() + 10
        while not inbox.envelopes and clock.monotonic() < deadline:
            clock.sleep(0.2)
        assert len(inbox.envelopes) == 1, mail_worker.log_tail("mailworker")
    finally:
        smtp.stop()
        mail_worker.stop()
        stack.start_worker()
    envelope = inbox.envelopes[0]
    assert envelope.rcpt_tos == ["office@example.jp"]
    raw = email.message_from_bytes(envelope.content)
    today = centre.today()
    assert str(make_header(decode_header(raw["Subject"]))) == daily_subject(centre.name, today)
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    names = {part.get_filename() for part in message.iter_attachments()}
    assert {f"nippo-{slug}-{today.isoformat()}.pdf", f"nippo-{slug}-{today.isoformat()}.xlsx"} <= names
    daily = DailyReport.objects.get(centre=centre, date=today)
    assert daily.sent_at is not None and daily.sent_to == ["office@example.jp"]
    # The day's figures in the report: two volunteers, one need completed.
    assert daily.figures["volunteers"]["today"]["total"] == 2, daily.figures["volunteers"]
    assert daily.figures["needs"]["today"] == {"received": 1, "completed": 1}
    for page in (intake, phone, coordinator, staff_board, public_board):
        assert page.console_errors == [], (page.url, page.console_errors)
