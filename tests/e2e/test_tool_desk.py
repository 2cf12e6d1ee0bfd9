"""The tool desk in a real browser: a coordinator adds a kind of tool, records a donation, counts drinks in and
hands some to a team; who holds what shows a loan from yesterday as overdue; the 日報's section 6 shows the
tools out, the ones past the deadline and the drinks. Screenshots: tools-desk-desktop.png, nippo-tools.png."""
from datetime import timedelta

import pytest

from ops.dispatch.models import Consumable, EquipmentKind, EquipmentLoan
from tests.e2e.conftest import DESKTOP, PHONE, login, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_tool_desk_from_a_new_kind_to_the_daily_report(new_page, busy_centre, screenshot_dir):
    from ops.dispatch.services import lend_tools
    from ops.dispatch.services.ledger import add_kind

    centre, team = busy_centre["centre"], busy_centre["team"]
    barrows = add_kind(centre=centre, name="一輪車", unit="台", quantity=6)
    loan = lend_tools(team=team, kind=barrows, quantity=2)
    EquipmentLoan.objects.filter(pk=loan.pk).update(lent_at=loan.lent_at - timedelta(days=1))  # kept overnight

    page = new_page(DESKTOP)
    login(page, "coordinator")
    page.goto(f"/c/{centre.slug}/tools/")
    page.fill("#tool-name", "角スコップ")
    page.fill("#tool-unit", "本")
    page.fill("#tool-quantity", "40")
    page.click("form[action$='/tools/add/'] button[type=submit]")
    page.wait_for_load_state("load")
    assert "角スコップを登録しました" in page.inner_text(".messages")
    shovels = EquipmentKind.objects.get(centre=centre, name="角スコップ")
    row = page.locator(f"#kind-{shovels.pk}")
    row.locator("select[name=reason]").select_option("donated")
    row.locator("input[name=quantity]").fill("10")
    row.locator("input[name=note]").fill("近隣社協より")
    row.locator("button[type=submit]").first.click()
    page.wait_for_load_state("load")
    assert page.inner_text(f"#kind-{shovels.pk} [data-figure$='.total']") == "50"

    page.fill("#item-name", "飲料水")
    page.fill("#item-unit", "本")
    page.fill("#item-quantity", "48")
    page.click("form[action$='/consumables/add/'] button[type=submit]")
    page.wait_for_load_state("load")
    water = Consumable.objects.get(centre=centre, name="飲料水")
    hand_out = page.locator(f"form[action$='/consumables/{water.pk}/hand-out/']")
    hand_out.locator("input[name=quantity]").fill("6")
    hand_out.locator("select[name=team]").select_option(str(team.pk))
    hand_out.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert f"飲料水を6配布しました（{team.label}）" in page.inner_text(".messages")
    holders = page.inner_text(f"#kind-{barrows.pk}")
    assert team.label in holders and "期限超過" in holders and "Ken Sato" in holders  # the coordinator sees names
    assert page.inner_text("[data-count='tools.overdue']") == "2"
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "tools-desk-desktop.png", full_page=True)

    report = new_page(DESKTOP)
    login(report, "viewer")
    report.goto(f"/c/{centre.slug}/reports/")
    section = report.locator("h2", has_text="6. 資機材・消耗品")
    section.scroll_into_view_if_needed()
    assert report.inner_text("[data-figure='tools_out_total']") == "2"
    assert report.inner_text("[data-figure='tools_overdue_total']") == "2"
    assert report.inner_text("[data-figure='consumables.飲料水.handed_out_today']") == "6"
    assert report.inner_text("[data-figure='consumables.飲料水.on_hand']") == "42"
    top = section.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
    report.screenshot(path=screenshot_dir / "nippo-tools.png", full_page=True,
                      clip={"x": 0, "y": top - 10, "width": DESKTOP["width"], "height": 480})

    viewer = new_page(PHONE)  # read-only, on a phone: no forms, no names
    login(viewer, "viewer")
    viewer.goto(f"/c/{centre.slug}/tools/")
    assert viewer.locator("form[action*='/tools/']").count() == 0
    assert "Ken Sato" not in viewer.inner_text("main") and team.label in viewer.inner_text("main")
    assert no_horizontal_scroll(viewer)  # wide tables scroll inside their box
    viewer.screenshot(path=screenshot_dir / "tools-desk-phone.png", full_page=True)
    assert page.console_errors == [] and report.console_errors == [] and viewer.console_errors == []
