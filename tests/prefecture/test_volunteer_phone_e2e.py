"""The one registration point on a 360 px phone in chromium: the volunteer opens /d/<disaster>/, registers,
applies for two centres' dates with a bus, and reads their statuses before and after the allocation.
Screenshots: test-artifacts/screenshots/prefecture-volunteer-*.png."""
import re
from datetime import time, timedelta

import pytest

from ops.centres.models import Centre
from ops.prefecture.models import Application, Offering
from ops.prefecture.services.allocation import allocate
from ops.prefecture.services.buses import add_bus
from ops.prefecture.services.offerings import open_offering
from ops.volunteers.models import Volunteer
from tests import factories
from tests.e2e import conftest as e2e
from tests.e2e.conftest import PHONE, no_horizontal_scroll

new_page, work_types, screenshot_dir = e2e.new_page, e2e.work_types, e2e.screenshot_dir  # the fixtures
pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_centres(db, work_types):
    disaster = factories.make_disaster(name="July 2026 Heavy Rain")
    made = []
    for name, slug in (("Riverside Volunteer Centre", "riverside"), ("Hillside Volunteer Centre", "hillside")):
        made.append(factories.make_centre(disaster=disaster, name=name, slug=slug, municipality=name.split()[0],
                                          recruitment_scope=Centre.Scope.NATIONAL))
    return disaster, made


def register(page, disaster):
    page.goto(f"/d/{disaster.pk}/")
    page.click("a:has-text('登録する')")
    page.wait_for_url(re.compile(r"/register/$"))
    page.fill("input[name=name]", "Hanako Sato")
    page.fill("input[name=kana]", "SATO HANAKO")
    page.fill("input[name=phone]", "080-7777-8888")
    page.fill("input[name=email]", "hanako@example.jp")
    page.select_option("select[name=age_band]", Volunteer.AgeBand.THIRTIES)
    page.fill("input[name=city]", "Nagano")
    page.fill("input[name=emergency_name]", "Taro Sato (husband)")
    page.fill("input[name=emergency_phone]", "080-9999-0000")
    page.select_option("select[name=insurance]", Volunteer.Insurance.ENROLLED)
    page.check("input[name=privacy]")
    page.click("main button.primary[type=submit]")
    page.wait_for_url(re.compile(r"/v/[^/]+/$"))


def apply_with_bus(page, offering, bus):
    block = page.locator(f"[data-offering='{offering.pk}']")
    block.locator("select[name=bus]").select_option(str(bus.pk))
    with page.expect_navigation():
        block.locator("button:has-text('この日に応募する')").click()
    page.wait_for_load_state("networkidle")


def test_register_apply_for_two_centres_with_a_bus_and_read_the_statuses(new_page, two_centres, screenshot_dir):
    disaster, (riverside, hillside) = two_centres
    near = open_offering(riverside, on=riverside.today() + timedelta(days=2), places_n=5,
                         method=Offering.Method.FIRST_COME)
    far = open_offering(hillside, on=hillside.today() + timedelta(days=3), places_n=3)
    bus_near = add_bus(riverside, on=near.date, hub="Nagano Station East", departs_at=time(7, 0), seats=10)
    bus_far = add_bus(hillside, on=far.date, hub="Matsumoto Bus Terminal", departs_at=time(6, 30), seats=8)

    phone = new_page(PHONE)
    phone.goto(f"/d/{disaster.pk}/")
    main = phone.inner_text("main")
    assert "Riverside Volunteer Centre" in main and "Hillside Volunteer Centre" in main
    assert "応募多数の場合は先着順" in main and "応募多数の場合は抽選" in main and "残り8席" in main
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=screenshot_dir / "prefecture-volunteer-point.png", full_page=True)

    register(phone, disaster)
    volunteer = Volunteer.objects.get(phone="080-7777-8888")
    assert volunteer.registered_disaster_id == disaster.pk
    assert "応募できる日" in phone.inner_text("main")
    apply_with_bus(phone, near, bus_near)
    assert "に応募しました" in phone.inner_text("ul.messages")
    apply_with_bus(phone, far, bus_far)
    main = phone.inner_text("main")
    assert main.count("応募済み（抽選・先着の結果はメールでお知らせ）") == 2
    assert "Nagano Station East 07:00発" in main and "Matsumoto Bus Terminal 06:30発" in main
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=screenshot_dir / "prefecture-volunteer-applied.png", full_page=True)
    assert Application.objects.filter(volunteer=volunteer).count() == 2

    allocate(near.pk)
    phone.reload()
    main = phone.inner_text("main")
    assert "参加決定" in main and "座席 1番" in main and "応募の順（先着順）で決めました。" in main
    assert no_horizontal_scroll(phone)
    assert phone.console_errors == []
    phone.screenshot(path=screenshot_dir / "prefecture-volunteer-allocated.png", full_page=True)
