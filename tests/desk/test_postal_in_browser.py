"""郵便番号 on the public request form in chromium against the live server (uvicorn: a view runs in whichever
thread the server has): seven digits fill the address's start, a code shared by several towns offers them."""
import pytest

from tests import factories
from tests.e2e.conftest import PHONE, new_page  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_seven_digits_fill_the_address_and_several_towns_are_offered(new_page):  # noqa: F811
    centre = factories.make_centre()
    page = new_page(viewport=PHONE, locale="ja-JP")
    page.goto(f"/p/{centre.slug}/request/")
    page.fill("input.postal-code", "〒380-0921")
    page.wait_for_function("() => document.querySelector('[name=address]').value !== ''")
    assert page.input_value("[name=address]") == "長野県長野市栗田"
    page.fill("[name=address]", "")
    page.fill("input.postal-code", "4520961")  # 清須市: 春日 and more under one code
    page.wait_for_function("() => document.querySelectorAll('#postal-towns option').length > 1")
    assert page.input_value("[name=address]") == "愛知県清須市"
    assert "候補" in page.inner_text("#postal-status")
