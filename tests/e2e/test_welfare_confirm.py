"""Withdrawing a consent asks first in the browser: declined, nothing is sent; accepted, it is recorded."""
import pytest

from tests.e2e.conftest import PHONE, login

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_withdrawing_a_consent_asks_first(new_page, busy_centre):
    from django.contrib.auth import get_user_model

    from ops.welfare import services
    from ops.welfare.models import Agency

    centre = busy_centre["centre"]
    worker = get_user_model().objects.get(username="welfare")
    case, _new = services.open_case(need=busy_centre["waiting"], source="staff", by=worker)
    agency = Agency.objects.create(centre=centre, kind="houkatsu", name="Riverside Care Centre")
    consent = services.give_consent(case, by=worker, purpose="share", how="written", agency=agency)

    page = new_page(PHONE)
    login(page, "welfare")
    page.goto(f"/c/{centre.slug}/welfare/{case.pk}/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#consents button.danger")
    page.wait_for_timeout(300)
    consent.refresh_from_db()
    assert asked and consent.in_force

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#consents button.danger")
    consent.refresh_from_db()
    assert not consent.in_force
    assert page.locator("#consents .badge", has_text="撤回済み").count() == 1
