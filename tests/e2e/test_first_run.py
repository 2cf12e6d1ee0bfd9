"""Day one in a real browser (issue 18): an empty installation, the first administrator made at the setup URL the
server printed, a pin placed on the map, the first centre opened; a staff invitation shown on screen and accepted
on a phone by the person it was for, who lands on their work. Screenshots: setup-*.png."""
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from ops.centres.models import Centre, Membership, Role
from ops.staff.firstrun import setup_path
from tests.e2e.conftest import DESKTOP, PHONE, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]
User = get_user_model()
ADMIN_PASSWORD = "chikuma-gawa-2026!"
INVITEE_PASSWORD = "sandbag-morning-77"


def test_from_an_empty_installation_to_an_invited_colleague(new_page, stack, work_types, screenshot_dir):
    assert not User.objects.exists() and not Centre.objects.exists()
    admin = new_page(DESKTOP)

    # Without the key the page says where it is, and offers no form.
    admin.goto("/setup/")
    assert "make run DEMO=0" in admin.inner_text("main") and admin.locator("input[type=password]").count() == 0
    admin.screenshot(path=screenshot_dir / "setup-01-key-needed-desktop.png", full_page=True)
    admin.console_errors.clear()  # that page's 403, on purpose

    admin.goto(setup_path())
    admin.fill("input[name=admin-username]", "suzuki")
    admin.fill("input[name=admin-name]", "鈴木 一郎")
    admin.fill("input[name=admin-email]", "suzuki@shakyo.example.jp")
    admin.fill("input[name=admin-password]", ADMIN_PASSWORD)
    admin.fill("input[name=admin-password2]", ADMIN_PASSWORD)
    admin.fill("input[name=disaster_name]", "令和8年12月豪雨")
    admin.select_option("select[name=disaster_prefecture]", "長野県")
    admin.fill("input[name=started_on]", "2026-12-04")
    admin.fill("input[name=name]", "千曲市災害ボランティアセンター")
    admin.fill("input[name=slug]", "chikuma")
    admin.select_option("select[name=prefecture]", "長野県")
    admin.fill("input[name=municipality]", "千曲市")
    admin.fill("input[name=address]", "長野県千曲市杭瀬下1-1")
    admin.click("#opening-map")  # the pin, where the administrator taps
    assert admin.input_value("input[name=lat]") and admin.input_value("input[name=lng]")
    assert admin.locator("#opening-map .leaflet-marker-icon").count() == 1
    admin.screenshot(path=screenshot_dir / "setup-02-first-run-form-desktop.png", full_page=True)
    admin.click("main button.primary[type=submit]")
    admin.wait_for_url(re.compile(r"/c/chikuma/"))
    centre = Centre.objects.get(slug="chikuma")
    boss = User.objects.get(username="suzuki")
    assert boss.is_superuser and Membership.objects.filter(user=boss, centre=centre, role=Role.ADMIN).exists()
    assert 36 < centre.lat < 37 and 137 < centre.lng < 139

    # The staff page: an invitation for a phone without mail, its link shown on the screen.
    admin.goto(f"/c/{centre.slug}/staff/")
    admin.select_option("select[name=role]", Role.RECEPTION)
    admin.click("#invite-form button[type=submit]")
    link = urlsplit(admin.inner_text("#invite-link").strip()).path  # the stack's SITE_URL is not its port
    assert link.startswith("/invite/")
    admin.screenshot(path=screenshot_dir / "setup-03-staff-invite-link-desktop.png", full_page=True)

    phone = new_page(PHONE)
    phone.goto(link)
    assert "千曲市災害ボランティアセンター" in phone.inner_text("main")
    phone.fill("input[name=username]", "tanaka")
    phone.fill("input[name=name]", "田中 花子")
    phone.fill("input[name=password]", INVITEE_PASSWORD)
    phone.fill("input[name=password2]", INVITEE_PASSWORD)
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=screenshot_dir / "setup-04-invitee-form-phone.png", full_page=True)
    phone.click("main button.primary[type=submit]")
    phone.wait_for_url(re.compile(r"/c/chikuma/volunteers/"))  # reception lands on volunteer reception
    phone.screenshot(path=screenshot_dir / "setup-05-invitee-lands-phone.png", full_page=True)
    invitee = User.objects.get(username="tanaka")
    assert set(Membership.objects.filter(user=invitee).values_list("role", flat=True)) == {Role.RECEPTION}

    # The link was for one person, once (a 404, on purpose).
    assert phone.console_errors == []
    phone.goto(link)
    assert "この招待リンクは使えません" in phone.inner_text("main")

    admin.goto(f"/c/{centre.slug}/staff/")
    assert "田中 花子" in admin.inner_text("main")
    admin.screenshot(path=screenshot_dir / "setup-06-staff-list-desktop.png", full_page=True)
    assert admin.console_errors == []
