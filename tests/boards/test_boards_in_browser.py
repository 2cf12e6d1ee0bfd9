"""The boards in a real browser (Debian's chromium): they follow events without a reload, and the public board
changes the moment staff save the recruitment page."""
import pytest
from django.utils import timezone

from ops import events
from ops.centres.models import Role
from ops.dispatch.models import Team
from ops.dispatch.state import team_state
from ops.needs.state import need_state
from tests import factories
from tests.e2e.conftest import PASSWORD, PHONE, login, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def open_live(page, path):
    page.goto(path)
    page.wait_for_selector('#live-state[data-state="live"]')
    page.evaluate("window.__notReloaded = true")


def test_staff_board_follows_needs_and_teams_live(new_page):
    centre = factories.make_centre()
    factories.make_user(Role.VIEWER, centre, username="board-viewer", password=PASSWORD)
    page = new_page()
    login(page, "board-viewer")
    open_live(page, f"/c/{centre.slug}/board/")

    need = factories.make_need(centre)
    events.emit(centre, "need.created", {"need": need_state(need)}, public={"needs_received": 1})
    team = Team.objects.create(centre=centre, date=timezone.localdate(), number=4, status=Team.Status.DISPATCHED,
                               expected_return_at=timezone.now() - timezone.timedelta(minutes=1))
    events.emit(centre, "dispatch.created", {"team": team_state(team, need_id=need.pk), "need": need_state(need)})

    page.wait_for_selector('[data-count="needs.new"] .n:text-is("1")')
    row = page.wait_for_selector(f"#teams-body tr[data-team='{team.pk}'].overdue")
    assert need.label in row.inner_text() and "帰着予定超過" in row.inner_text()
    assert page.locator('[data-count="teams.dispatched"] .n').inner_text() == "1"
    assert need.label in page.locator("#feed").inner_text()
    assert page.evaluate("window.__notReloaded") is True
    assert page.console_errors == []


def test_public_board_changes_when_staff_save_recruitment(new_page):
    centre = factories.make_centre()
    factories.make_user(Role.ADMIN, centre, username="board-admin", password=PASSWORD)
    board = new_page(viewport=PHONE)
    open_live(board, f"/p/{centre.slug}/")
    assert board.locator('[data-field="recruitment_status"]').inner_text() == "募集中"
    assert no_horizontal_scroll(board)

    staff = new_page()
    login(staff, "board-admin")
    staff.goto(f"/c/{centre.slug}/board/recruitment/")
    staff.check("#form-recruitment input[name=recruitment-status][value=none]")
    staff.click("#form-recruitment button[type=submit]")
    staff.wait_for_selector(".messages")

    board.wait_for_selector('[data-field="recruitment_status"]:text-is("募集なし")')
    assert board.locator("#days-body td").last.inner_text() == "—"
    assert board.evaluate("window.__notReloaded") is True
    assert board.console_errors == []


def test_a_group_booking_and_check_in_move_both_boards_live(new_page):
    from datetime import timedelta

    from ops.volunteers.services import cancel_booking, check_in, register_group

    centre = factories.make_centre(daily_capacity=20)
    factories.make_user(Role.VIEWER, centre, username="count-viewer", password=PASSWORD)
    public = new_page(viewport=PHONE)
    open_live(public, f"/p/{centre.slug}/")
    staff = new_page()
    login(staff, "count-viewer")
    open_live(staff, f"/c/{centre.slug}/board/")
    today = centre.today()
    tomorrow = today + timedelta(days=1)
    row = f'#days-body tr[data-date="{tomorrow.isoformat()}"] td'

    group = register_group(centre=centre, name="松本建設", leader_name="代表 一郎", leader_kana="ダイヒョウ イチロウ",
                           phone="090-1111-2222", member_count=8, age_band="40s", prefecture="長野県",
                           city="松本市", on=tomorrow)
    public.wait_for_selector(f'{row}:text-is("12")')  # 20 places, 8 booked
    check_in(group.leader, centre, on=today, health={"no_fever": True, "feeling_well": True, "rested": True},
             insurance_confirmed=True, head_count=12)
    public.wait_for_selector('[data-field="volunteers_today"]:text-is("12")')
    staff.wait_for_selector('[data-count="volunteers.checked_in"] .n:text-is("12")')
    assert staff.locator('[data-count="volunteers.in"] .n').inner_text() == "12"
    cancel_booking(group.leader.bookings.get(date=tomorrow))
    public.wait_for_selector(f'{row}:text-is("20")')
    assert public.evaluate("window.__notReloaded") is True and staff.evaluate("window.__notReloaded") is True
    assert public.console_errors == [] and staff.console_errors == []
