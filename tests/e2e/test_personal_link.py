"""The personal link in real browsers (issue 17): a stranger who types a registered volunteer's details gets no
page of theirs, the volunteer renews the link on their phone and still checks in by the poster, and reception
renews it from the card."""
import re

import pytest

from ops.centres.models import Role
from ops.messages.models import OutboundMail
from ops.volunteers import codes
from ops.volunteers.models import Attendance, Volunteer
from tests.e2e.conftest import DESKTOP, PHONE, login, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def register(page, slug, *, city="Riverside"):
    page.goto(f"/p/{slug}/volunteers/register/")
    page.fill("input[name=name]", "Taro Suzuki")
    page.fill("input[name=kana]", "SUZUKI TARO")
    page.fill("input[name=phone]", "080-2222-3333")
    page.fill("input[name=email]", "taro@example.jp")
    page.select_option("select[name=age_band]", Volunteer.AgeBand.THIRTIES)
    page.fill("input[name=city]", city)
    page.fill("input[name=emergency_name]", "Jiro Suzuki (brother)")
    page.fill("input[name=emergency_phone]", "080-4444-5555")
    page.select_option("select[name=insurance]", Volunteer.Insurance.ENROLLED)
    page.check("input[name=privacy]")
    page.click("main button.primary[type=submit]")


def cookie_names(page) -> set:
    return {c["name"] for c in page.context.cookies()}


def test_a_stranger_gets_no_link_and_the_volunteer_renews_theirs(new_page, day_centre, staff_user, screenshot_dir):
    slug = day_centre.slug
    phone = new_page(PHONE)
    register(phone, slug)
    phone.wait_for_url(re.compile(r"/v/[^/]+/$"))
    volunteer = Volunteer.objects.get(phone="080-2222-3333")

    stranger = new_page(PHONE)
    register(stranger, slug, city="Elsewhere")
    stranger.wait_for_load_state("networkidle")
    assert "/v/" not in stranger.url
    assert "すでに登録があります。登録されたメールアドレスに個人用リンクを送りました" in stranger.inner_text("main")
    assert volunteer.token not in stranger.content() and "taro@example.jp" not in stranger.content()
    assert "dvc_volunteer" not in cookie_names(stranger)
    assert no_horizontal_scroll(stranger)
    stranger.screenshot(path=screenshot_dir / "link-already-registered-phone.png", full_page=True)
    assert Volunteer.objects.get(pk=volunteer.pk).city == "Riverside"

    stranger.goto(f"/p/{slug}/volunteers/signin/")
    stranger.fill("input[name=phone]", "080-2222-3333")
    stranger.fill("input[name=kana]", "SUZUKI TARO")
    stranger.click("main button.primary[type=submit]")
    stranger.wait_for_load_state("networkidle")
    assert "個人リンクをお送りしました" in stranger.inner_text("main") and "/v/" not in stranger.url
    assert OutboundMail.objects.filter(kind="volunteer_link", to=["taro@example.jp"]).count() >= 3

    # The volunteer renews the link on their phone; the old one is dead, the phone still checks in.
    old = volunteer.token
    phone.click("button:has-text('個人リンクを再発行する')")
    phone.wait_for_url(re.compile(r"/v/[^/]+/$"))
    volunteer.refresh_from_db()
    assert volunteer.token != old and phone.url.endswith(f"/v/{volunteer.token}/")
    phone.screenshot(path=screenshot_dir / "link-renewed-phone.png", full_page=True)
    assert stranger.goto(f"/v/{old}/").status == 404
    phone.goto(f"/p/{slug}/checkin/{codes.daily_code(day_centre, day_centre.today())}/")
    for box in phone.locator("main form input[type=checkbox]").all():
        box.check()
    phone.click("main button.primary[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert Attendance.objects.filter(volunteer=volunteer, centre=day_centre).exists()

    # Reception renews it from the card: sent to the registered address, not shown on the screen.
    staff_user(Role.RECEPTION, "desk")
    desk = new_page(DESKTOP)
    login(desk, "desk")
    desk.goto(f"/c/{slug}/volunteers/{volunteer.pk}/")
    desk.click("button:has-text('個人リンクを再発行してメールで送る')")
    desk.wait_for_load_state("networkidle")
    assert "登録されたメールアドレスに送りました" in desk.inner_text("body")
    renewed = Volunteer.objects.get(pk=volunteer.pk).token
    assert renewed != volunteer.token and renewed not in desk.content()
    desk.screenshot(path=screenshot_dir / "link-renewed-by-reception-desktop.png", full_page=True)
    assert phone.console_errors == [] and desk.console_errors == []
