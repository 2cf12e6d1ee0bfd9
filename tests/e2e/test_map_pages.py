"""The pages with a need's pin load every file they ask for under the static storage `make run` and
production use (hashed names from collectstatic), where Leaflet cannot guess its marker images' path."""
import subprocess
import sys

import pytest

from harness.stack import ROOT
from tests.e2e.conftest import DESKTOP, PASSWORD, PHONE, login

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def production_static_server(stack, tmp_path):
    """A second server on the test database with DEBUG off and the manifest storage, as `make run` has it."""
    env = stack.env(DJANGO_SETTINGS_MODULE="dvc.settings", DEBUG="false", HTTPS="false", STATIC_MANIFEST="true",
                    STATIC_ROOT=str(tmp_path / "static"), ALLOWED_HOSTS="127.0.0.1,localhost")
    out = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    url = stack.start_server(env=env, name="manifest-server")
    try:
        yield url
    finally:
        stack.stop_process("manifest-server")


def test_the_need_and_intake_pages_load_every_file_with_hashed_static_names(browser, busy_centre,
                                                                            production_static_server):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.contrib.auth.models import User

    # The production settings hash passwords with PBKDF2 (the test settings' MD5 would not sign in there).
    User.objects.filter(username="intake").update(password=PBKDF2PasswordHasher().encode(PASSWORD, "fieldsalt1"))
    centre, need = busy_centre["centre"], busy_centre["waiting"]
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport, locale="ja-JP", base_url=production_static_server)
        context.route(r"^https?://(?!127\.0\.0\.1[:/]).*", lambda route: route.fulfill(status=204))  # tiles
        page = context.new_page()
        failed = []
        page.on("response", lambda r, failed=failed: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
        login(page, "intake")
        page.goto(f"/c/{centre.slug}/needs/{need.pk}/")
        page.wait_for_selector("#need-map .leaflet-marker-icon")
        page.wait_for_load_state("networkidle")
        page.goto(f"/c/{centre.slug}/needs/new/")
        page.wait_for_selector("#intake-map.leaflet-container")
        page.locator("#intake-map").click()  # the pin the intake staff drop
        page.wait_for_selector("#intake-map .leaflet-marker-icon")
        page.wait_for_load_state("networkidle")
        drawn = page.evaluate("document.querySelector('#intake-map .leaflet-marker-icon').naturalWidth")
        context.close()
        assert failed == [], (viewport, failed)
        assert drawn > 0
