"""At intake, 「住所から地図に置く」 finds the typed address in the imported 位置参照情報 and puts the pin there,
saying how far it matched; another candidate can be chosen, a miss says so, and the map still takes a tap."""
import io

import pytest

from mapping.addresses.importer import import_file
from ops.centres.models import Role
from tests.e2e.conftest import DESKTOP, PHONE, login, switch_to_english
from tests.mapping.address_files import TEST_CITY_BLOCKS, csv_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_intake_button_places_the_pin_from_the_address(new_page, day_centre, staff_user, screenshot_dir,
                                                           viewport):
    import_file(io.BytesIO(csv_bytes(TEST_CITY_BLOCKS)), "20999.csv")
    staff_user(Role.INTAKE, "intake")
    page = new_page(viewport=viewport)
    login(page, "intake")
    page.goto(f"/c/{day_centre.slug}/needs/new/")
    page.wait_for_selector("#intake-map.leaflet-container")
    page.fill("input[name=address]", "テスト市中央一丁目１２番５号")
    page.click("#address-search-button")
    first = page.locator("#address-search-results .address-result").first
    first.wait_for()
    assert first.inner_text().replace("\n", " ") == "長野県テスト市中央一丁目 12 番地・街区まで一致"
    assert first.get_attribute("aria-pressed") == "true"
    assert page.input_value("input[name=lat]") == "36.6512"
    assert page.input_value("input[name=lng]") == "138.1812"
    page.wait_for_selector("#intake-map .leaflet-marker-icon")
    page.screenshot(path=screenshot_dir / f"intake-address-search-{'phone' if viewport is PHONE else 'desktop'}.png",
                    full_page=True)

    page.fill("input[name=address]", "テスト市中央")  # a town without its 丁目: each is offered
    page.press("input[name=address]", "Enter")  # searches; does not submit the card
    page.locator("#address-search-results .address-result").nth(2).wait_for()
    assert page.url.endswith("/needs/new/")
    page.locator("#address-search-results .address-result").nth(1).click()
    assert page.input_value("input[name=lat]") == "36.6522"

    page.fill("input[name=address]", "どこにもない村1-1")
    page.click("#address-search-button")
    page.wait_for_selector("#address-search-results li.error")
    assert "見つかりません" in page.inner_text("#address-search-results")
    assert page.input_value("input[name=lat]") == "36.6522"  # a miss leaves the pin where it was

    box = page.locator("#intake-map").bounding_box()
    page.locator("#intake-map").click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.75})  # a tap
    assert page.input_value("input[name=lat]") != "36.6522"
    assert page.console_errors == []


def test_the_button_speaks_english_on_an_english_page(new_page, day_centre, staff_user):
    staff_user(Role.INTAKE, "intake")
    page = new_page()
    login(page, "intake")
    page.goto(f"/c/{day_centre.slug}/needs/new/")
    switch_to_english(page)
    page.goto(f"/c/{day_centre.slug}/needs/new/")
    assert page.inner_text("#address-search-button") == "Place on the map from the address"
    page.fill("input[name=address]", "Nowhere 1-1")
    page.click("#address-search-button")
    page.wait_for_selector("#address-search-results li.error")
    assert page.inner_text("#address-search-results") == "Not found. Tap the map to place the pin."


def test_an_administrator_imports_address_data_from_the_page(new_page, day_centre, staff_user, screenshot_dir,
                                                             tmp_path):
    from tests.mapping.address_files import zipped

    staff_user(Role.ADMIN, "admin")
    good = tmp_path / "20000-21.0a.zip"
    good.write_bytes(zipped(("20_2022.csv", csv_bytes(TEST_CITY_BLOCKS))))
    bad = tmp_path / "names.csv"
    bad.write_bytes("氏名,住所\n長野 一郎,中央1\n".encode("cp932"))
    page = new_page()
    login(page, "admin")
    page.goto(f"/c/{day_centre.slug}/settings/")
    page.click("text=住所データ（位置参照情報）")
    page.set_input_files("input[name=file]", str(bad))
    page.click("main button[type=submit]")
    assert "列が位置参照情報の公式の様式" in page.inner_text(".has-error")
    page.set_input_files("input[name=file]", str(good))
    page.click("main button[type=submit]")
    page.wait_for_selector("text=長野県テスト市（街区レベル）を9件取り込みました。")
    row = page.locator("tbody tr").first.inner_text()
    assert "長野県テスト市" in row and "街区レベル" in row and "Pat-admin" in row and "20000-21.0a.zip" in row
    page.screenshot(path=screenshot_dir / "address-data-desktop.png", full_page=True)
    assert page.console_errors == []
