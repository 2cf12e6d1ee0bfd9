# ruff: noqa: F811  (new_page and screenshot_dir are the e2e fixtures, imported for this test)
"""協力団体のページ on a phone (360 px), in chromium: the organisation's login lands on its job list, opens the
job, accepts it (the resident's phone appears), sets a day and reports it done with a photo taken on the
phone; the need is then complete. No page scrolls sideways."""
import io
from datetime import timedelta

import pytest
from PIL import Image

from ops.centres.models import Role
from ops.needs.models import Need, NeedStatus
from ops.partners import services
from ops.partners.models import PartnerJob
from tests import factories
from tests.e2e.conftest import PASSWORD, PHONE, login, new_page, no_horizontal_scroll, screenshot_dir  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/h"


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def shot(page, screenshot_dir, name):
    page.screenshot(path=screenshot_dir / f"partner-{name}-phone.png", full_page=True)
    page.screenshot(path=f"{SHOTS}/pui-{name}.png", full_page=True)


def test_a_partner_accepts_schedules_and_reports_a_job_on_a_phone(new_page, screenshot_dir):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    centre = factories.make_centre(phone="0261-00-1234")
    coordinator = factories.make_user(Role.COORDINATOR, centre)
    need = factories.make_need(centre, work_types=["tarp"], status=NeedStatus.ON_HOLD, technical=True,
                               requester_name="屋根下 待子", phone="090-7777-3131",
                               address="テスト市瓦町二丁目4番6号 瓦町第二団地 5号棟", district="瓦町",
                               hazards="北側の屋根が抜けそう。はしごは南側から。")
    org = services.save_organisation(centre, by=coordinator, name="NPO法人 屋根ふき隊", capabilities=["roof"])
    factories.make_user(Role.PARTNER, centre, username="roof-npo", password=PASSWORD).partner_organisations.add(org)
    job = services.offer(need, org, by=coordinator, note="ブルーシートと土のう袋はセンターで用意します。")

    page = new_page(viewport=PHONE)
    login(page, "roof-npo")
    assert page.url.endswith(f"/c/{centre.slug}/partner/")  # lands on its job list
    row = page.locator(".job-row")
    assert row.count() == 1 and need.label in row.inner_text()
    assert row.bounding_box()["height"] >= 44
    assert no_horizontal_scroll(page)
    shot(page, screenshot_dir, "list")

    row.click()
    page.wait_for_selector("h1")
    assert "瓦町第二団地" in page.inner_text("main") and "090-7777-3131" not in page.content()
    assert no_horizontal_scroll(page)
    shot(page, screenshot_dir, "offered")

    page.click("#accept button[type=submit]")
    page.wait_for_selector(".messages")
    assert page.locator("a[href='tel:090-7777-3131']").is_visible()
    day = centre.today() + timedelta(days=2)
    page.fill("#schedule input[type=date]", day.isoformat())
    page.fill("#schedule input[name=schedule-note]", "午前9時ごろ伺います")
    page.click("#schedule button[type=submit]")
    page.wait_for_selector("#schedule h2")
    assert PartnerJob.objects.get(pk=job.pk).scheduled_for == day
    assert no_horizontal_scroll(page)
    shot(page, screenshot_dir, "scheduled")

    page.check("#complete input[value=done]")
    page.fill("#complete textarea", "屋根全体にブルーシートを張り、土のうで固定した。")
    page.set_input_files("#complete input[multiple]", files=[
        {"name": "roof.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}])
    assert "1" in page.inner_text(".photo-count")
    page.click("#complete button[type=submit]")
    page.wait_for_selector(".photo-grid img")
    page.wait_for_function("() => [...document.querySelectorAll('.photo-grid img')].every(i => i.naturalWidth > 0)")
    job.refresh_from_db()
    assert (job.status, job.outcome, job.photos.count()) == (PartnerJob.Status.DONE, "done", 1)
    assert Need.objects.get(pk=need.pk).status == NeedStatus.COMPLETED
    assert "090-7777-3131" not in page.content()  # the visit is over: no more phone
    assert no_horizontal_scroll(page)
    shot(page, screenshot_dir, "done")
    page.goto(f"/c/{centre.slug}/partner/")
    assert page.locator(".job-list.closed .job-row").count() == 1
    assert page.console_errors == []
