"""The offering and roster pages in a real browser on a 360 px phone: the prefecture's staff allocate by
draw with a click and read how it was decided; the boarding roster fits the screen and prints. Screenshots:
prefecture-offering-*.png, prefecture-roster-*.png."""
from datetime import time, timedelta

import pytest

from ops.prefecture.models import Offering, PrefectureMembership
from ops.prefecture.services.buses import add_bus
from ops.prefecture.services.offerings import apply, open_offering
from tests import factories
from tests.e2e import conftest as e2e
from tests.e2e.conftest import PHONE, login, no_horizontal_scroll

new_page, screenshot_dir = e2e.new_page, e2e.screenshot_dir  # the fixtures
pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def shoot(page, screenshot_dir, name):
    page.screenshot(path=screenshot_dir / f"prefecture-{name}.png", full_page=True)
    assert no_horizontal_scroll(page), (name, page.evaluate("document.documentElement.scrollWidth"))


def test_allocating_by_draw_and_the_roster_on_a_phone(new_page, screenshot_dir):
    centre = factories.make_centre(daily_capacity=50)
    staff = factories.make_user(username="kenshakyo", first_name="県社協")
    PrefectureMembership.objects.create(user=staff, disaster=centre.disaster)
    day = centre.today() + timedelta(days=1)
    offering = open_offering(centre, on=day, places_n=3, method=Offering.Method.DRAW, note="長靴と軍手を持参")
    bus = add_bus(centre, on=day, hub="長野駅東口", departs_at=time(7, 0), seats=10, operator="信州観光バス")
    for i in range(6):
        volunteer = factories.make_volunteer(name=f"応募 太郎{i}", email=f"o{i}@example.jp",
                                             emergency_name="家族 花子", emergency_phone="090-1111-2222")
        apply(volunteer, offering, bus=bus)

    page = new_page(PHONE)
    login(page, "kenshakyo")
    page.goto(f"/pref/{centre.disaster_id}/offerings/")
    page.wait_for_selector("#open-offering")
    shoot(page, screenshot_dir, "offering-1-list-phone")

    page.goto(f"/pref/{centre.disaster_id}/offerings/{offering.pk}/")
    shoot(page, screenshot_dir, "offering-2-before-phone")
    page.click("#allocation button[type=submit]")
    page.wait_for_selector("#how-decided")
    offering.refresh_from_db()
    assert offering.seed in page.inner_text("#how-decided")
    assert "draw_order" in page.inner_text("#how-to-reproduce")
    assert page.inner_text("#allocated-n") == "3" and page.inner_text("#waiting-n") == "3"
    shoot(page, screenshot_dir, "offering-3-allocated-phone")

    page.goto(f"/pref/{centre.disaster_id}/buses/{bus.pk}/roster/")
    assert page.locator(".bus-roster tbody tr").count() == 3  # the three given places, each with a seat
    shoot(page, screenshot_dir, "roster-1-phone")
    page.emulate_media(media="print")
    assert page.locator(".topbar").is_hidden() and page.locator(".roster-actions").is_hidden()
    shoot(page, screenshot_dir, "roster-2-print")
    assert page.console_errors == []
