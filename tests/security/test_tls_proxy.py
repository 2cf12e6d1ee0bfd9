"""The README's "TLS on a shelter's LAN", followed: Caddy with its own CA (`tls internal`) in front of the
Procfile's web on loopback, HTTPS=true. Pages, sign-in and the lockout work over TLS with Caddy's root
certificate, and a client's own X-Forwarded-For does not reach the lockout through the proxy.

Needs Debian's `caddy` (skipped without it; `apt-get install caddy`).
"""
import re
import shutil
import ssl
import sys
import time
from pathlib import Path

import certifi
import httpx
import pytest
from django.conf import settings
from django.urls import reverse

from harness import Stack, free_port, wait_http
from harness.stack import ROOT
from ops.centres.models import Role
from tests import factories
from tests.conftest import _database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not shutil.which("caddy"), reason="needs Caddy (apt-get install caddy)")]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def site(db):
    stack = Stack(postgres=False, redis=False)
    web, tls = free_port(), free_port()
    origin = f"https://127.0.0.1:{tls}"
    stack.extra_env = {"DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL, "HTTPS": "true",
                       "SITE_URL": origin, "ALLOWED_HOSTS": "127.0.0.1", "CSRF_TRUSTED_ORIGINS": origin,
                       "EMAIL_URL": "consolemail://"}
    env = stack.env()
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    caddy = stack.dir / "caddy"
    caddy.mkdir()
    # The README's Caddyfile, on a free port (no admin endpoint, no :80 redirect: tests run side by side), and
    # without installing its root into this machine's trust store (it did: later runs then trusted it).
    (caddy / "Caddyfile").write_text(
        "{\n\tadmin off\n\tskip_install_trust\n\tauto_https disable_redirects\n}\n"
        f"127.0.0.1:{tls} {{\n\ttls internal\n\treverse_proxy 127.0.0.1:{web}\n}}\n")
    try:
        stack.spawn("web", ["sh", "-c", f"WEB_PORT={web}; exec {line.split(':', 1)[1]}"], env=env)
        wait_http(f"http://127.0.0.1:{web}/healthz", timeout=60)
        stack.spawn("caddy", ["caddy", "run", "--config", str(caddy / "Caddyfile")],
                    env={**env, "HOME": str(caddy), "XDG_DATA_HOME": str(caddy / "data"),
                         "XDG_CONFIG_HOME": str(caddy / "config")})
        root = caddy / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        deadline = time.monotonic() + 20
        while not root.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        client = httpx.Client(verify=ssl.create_default_context(cafile=str(root)), timeout=20)
        deadline = time.monotonic() + 60  # a loaded CI machine: the whole suite runs beside it
        while True:
            try:
                client.get(origin + "/healthz?skip=celery")
                break
            except httpx.HTTPError as err:
                if time.monotonic() > deadline:
                    log = (stack.dir / "caddy.log").read_text(errors="replace")[-3000:]
                    raise AssertionError(f"Caddy did not answer on {origin}: {err}\n{log}") from err
                time.sleep(0.2)
        yield origin, client
        client.close()
    finally:
        stack.stop()


def log_in(client, origin, password, forwarded_for):
    url = origin + reverse("login")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).text).group(1)
    response = client.post(url, data={"csrfmiddlewaretoken": token, "username": "tls-user", "password": password},
                           headers={"X-Forwarded-For": forwarded_for, "Referer": url})
    client.cookies.clear()
    return {302: "signed in", 429: "locked"}.get(response.status_code, "refused")


def test_the_lan_recipe_serves_tls_and_keeps_the_lockout(site, centre):
    origin, client = site
    factories.make_user(Role.COORDINATOR, centre, username="tls-user", password=PASSWORD)
    health = client.get(origin + "/healthz?skip=celery")
    assert health.status_code == 200
    assert "max-age=" in health.headers.get("strict-transport-security", "")  # Django sees https via the proxy
    assert log_in(client, origin, PASSWORD, "198.51.100.1") == "signed in"
    for n in range(5):
        log_in(client, origin, "wrong", f"198.51.100.{n}")
    assert log_in(client, origin, PASSWORD, "198.51.100.200") == "locked"
    # A device without Caddy's root (only the public CAs): the browser's warning, not the page.
    with pytest.raises(httpx.ConnectError):
        httpx.get(origin + "/healthz", timeout=5, verify=ssl.create_default_context(cafile=certifi.where()))
