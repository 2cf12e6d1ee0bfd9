"""The intake card in a real browser on the live server: the pin fills the hidden inputs, possible
duplicates appear while the phone number is typed, and the saved need opens with its pin."""
import pytest

from ops.centres.models import Role
from ops.needs.models import Need
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-enough-pass-1"


@pytest.fixture
def phone_page(needs_browser, stack):
    context = needs_browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP", is_mobile=True,
                                        has_touch=True, base_url=stack.server_url)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def login(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_intake_on_a_phone_with_pin_and_live_duplicates(phone_page, centre):
    page = phone_page
    user = factories.make_user(Role.INTAKE, centre, password=PASSWORD)
    existing = factories.make_need(centre, phone="090-1111-2222", requester_name="既存 世帯")
    login(page, user)
    page.goto(f"/c/{centre.slug}/needs/new/")

    page.locator("#intake-map").click(position={"x": 120, "y": 120})
    lat = float(page.input_value("input[name=lat]"))
    lng = float(page.input_value("input[name=lng]"))
    assert abs(lat - centre.lat) < 0.02 and abs(lng - centre.lng) < 0.02

    page.fill("input[name=phone]", "０９０１１１１２２２２")
    panel = page.locator("#dup-live")
    panel.wait_for(state="visible")
    assert existing.label in panel.inner_text()

    page.fill("input[name=requester_name]", "新規 世帯")
    page.fill("input[name=address]", "テスト市若宮5-5-5")
    page.click("button.primary[type=submit]")
    page.locator(".dup-confirm").wait_for()  # the server asks before saving a possible duplicate
    assert Need.objects.count() == 1
    page.check("input[name=duplicate_decision][value=different]")
    page.click("button.primary[type=submit]")
    page.wait_for_url(lambda url: "/needs/new/" not in url)
    need = Need.objects.exclude(pk=existing.pk).get()
    assert (round(need.lat, 5), round(need.lng, 5)) == (round(lat, 5), round(lng, 5))
    assert need.label in page.inner_text("h1")
    assert page.locator("#need-map .leaflet-marker-icon").count() == 1
    assert page.errors == []
