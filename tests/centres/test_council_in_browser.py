"""The council's page on a phone (360 px): both modes fit without scrolling sideways, long link labels and
addresses included, and its staff save the settings from a phone."""
import pytest

from ops.centres.models import Centre, Council, Role
from tests import factories
from tests.e2e.conftest import PASSWORD, PHONE, login, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    """No horizontal scroll, and no text running past the screen's edge (a long URL clipped by the page)."""
    overflow = page.evaluate("""() => [...document.querySelectorAll('main a, main p, main dd')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length""")
    return no_horizontal_scroll(page) and overflow == 0


def test_the_council_page_fits_a_phone_in_both_modes_and_its_staff_edit_it(new_page, screenshot_dir):
    council = Council.objects.create(
        slug="phone-shakyo", name="テスト市社会福祉協議会", prefecture="長野県", phone="026-111-2222",
        address="長野県テスト市中央一丁目1番1号 テスト市総合福祉センター3階", website="https://example.jp/shakyo/",
        normal_message="平常時のお知らせです。", links="https://example.jp/a-very-long-address/that/goes/on/and/on/index.html")
    centre = factories.make_centre(council=council, status=Centre.Status.CLOSED,
                                   name="テスト市災害ボランティアセンター")
    factories.make_user(Role.ADMIN, centre, username="council-admin", password=PASSWORD)
    page = new_page(viewport=PHONE)
    page.goto(f"/council/{council.slug}/")
    assert page.locator("[data-mode=normal]").inner_text().strip() == "平常時のお知らせです。"
    assert fits(page)
    page.screenshot(path=screenshot_dir / "council-normal-phone.png", full_page=True)

    Centre.objects.filter(pk=centre.pk).update(status=Centre.Status.OPEN)
    page.goto(f"/council/{council.slug}/")
    assert page.locator(f"[data-centre={centre.slug}] h2").inner_text() == centre.name
    assert fits(page)
    page.screenshot(path=screenshot_dir / "council-disaster-phone.png", full_page=True)

    login(page, "council-admin")
    page.goto(f"/council/{council.slug}/settings/")
    assert no_horizontal_scroll(page)
    page.fill("textarea[name=normal_message]", "新しいお知らせです。")
    page.click("main button[type=submit]")  # not the language switch or the logout in the top bar
    page.wait_for_selector(".messages")
    council.refresh_from_db()
    assert council.normal_message == "新しいお知らせです。"
