"""A client's own X-Forwarded-For changes nothing; the configured proxy's is honoured.

Runs uvicorn with the command lines that ship (the image's CMD and the Procfile's `web`), as compose and
`make run` start them, trusting the proxy at 127.0.0.2 (FORWARDED_ALLOW_IPS). A client connecting from
127.0.0.1 and writing X-Forwarded-For itself must not unlock a locked account, dodge the login lockout, or
get past the public form's and the public API's limits; a connection from 127.0.0.2 is the proxy, and its
header names the client.
"""
import json
import re
import sys

import httpx
import pytest
from django.urls import reverse

from harness import Stack, free_port, wait_http
from harness.stack import ROOT
from ops.centres.models import Role
from tests import factories
from tests.conftest import _database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PROXY = "127.0.0.2"
PASSWORD = "correct-horse-battery"


def dockerfile_command(port: int) -> list[str]:
    """The image's CMD (exec form), on loopback and a free port."""
    text = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*?\])\s*$", text, re.M | re.S).group(1).replace("\\\n", ""))
    cmd[cmd.index("--host") + 1] = "127.0.0.1"
    cmd[cmd.index("--port") + 1] = str(port)
    return [sys.executable if part == "python" else part for part in cmd]


def procfile_command(port: int) -> list[str]:
    """The Procfile's web line, through a shell as honcho runs it."""
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    command = line.split(":", 1)[1].strip()
    return ["sh", "-c", f"WEB_HOST=127.0.0.1 WEB_PORT={port}; exec {command}"]


@pytest.fixture(scope="module", params=["Dockerfile", "Procfile"])
def server(request, django_db_setup):
    """One server per command line for the module's tests (a start is ~8 s): what a test leaves is in the
    database (flushed after each) and the rate limits' Redis cache (cleared before each), not in the process."""
    stack = Stack(postgres=False, redis=False)
    from django.conf import settings
    stack.extra_env = {"DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL,
                       "FORWARDED_ALLOW_IPS": PROXY, "PUBLIC_FORM_RATE": "3/h", "EMAIL_URL": "consolemail://"}
    port = free_port()
    command = dockerfile_command(port) if request.param == "Dockerfile" else procfile_command(port)
    env = stack.env()
    env["PATH"] = f"{sys.executable.rsplit('/', 1)[0]}:{env['PATH']}"  # `python` is this venv's
    try:
        stack.spawn("web", command, env=env)
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/healthz", timeout=60)
        yield url
    finally:
        stack.stop()


def client_from(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=20, follow_redirects=False)


def csrf(client: httpx.Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def log_in(client, base, username, password, forwarded_for=None):
    url = base + reverse("login")
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    response = client.post(url, data={"csrfmiddlewaretoken": csrf(client, url), "username": username,
                                      "password": password}, headers=headers)
    client.cookies.clear()
    return "signed in" if response.status_code == 302 else ("locked" if response.status_code == 429 else "refused")


@pytest.fixture
def user(centre):
    return factories.make_user(Role.COORDINATOR, centre, username="spoof-target", password=PASSWORD)


def test_a_forged_header_does_not_unlock_a_locked_account(server, user):
    with client_from("127.0.0.1") as client:
        for _ in range(5):
            log_in(client, server, user.username, "wrong-password")
        assert log_in(client, server, user.username, PASSWORD) == "locked"
        assert log_in(client, server, user.username, PASSWORD, forwarded_for="198.51.100.77") == "locked"


def test_a_forged_header_does_not_dodge_the_lockout(server, user):
    with client_from("127.0.0.1") as client:
        for n in range(8):
            log_in(client, server, user.username, "wrong-password", forwarded_for=f"198.51.100.{n}")
        assert log_in(client, server, user.username, PASSWORD, forwarded_for="198.51.100.99") == "locked"


def test_a_forged_header_does_not_get_past_the_public_form_limit(server, centre):
    url = server + reverse("needs:public_request", kwargs={"centre": centre.slug})
    with client_from("127.0.0.1") as client:
        statuses = []
        for n in range(4):
            statuses.append(client.post(url, data={"csrfmiddlewaretoken": csrf(client, url), "website": "x"},
                                        headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code)
    assert statuses == [200, 200, 200, 429]


def test_a_forged_header_does_not_get_past_the_public_api_limit(server, centre):
    url = server + reverse("api:public_status", kwargs={"centre": centre.slug})
    with client_from("127.0.0.1") as client:
        statuses = [client.get(url, headers={"X-Forwarded-For": f"203.0.113.{n % 250}"}).status_code
                    for n in range(121)]
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429


def test_the_trusted_proxy_names_the_client(server, user, centre):
    """From the proxy's address the header is the client: a lockout at one client leaves another free, and the
    public API counts clients, not the proxy that carries them all."""
    with client_from(PROXY) as proxy:
        for _ in range(5):
            log_in(proxy, server, user.username, "wrong-password", forwarded_for="198.51.100.1")
        assert log_in(proxy, server, user.username, PASSWORD, forwarded_for="198.51.100.1") == "locked"
        assert log_in(proxy, server, user.username, PASSWORD, forwarded_for="198.51.100.2") == "signed in"
        url = server + reverse("api:public_status", kwargs={"centre": centre.slug})
        statuses = [proxy.get(url, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(130)]
    assert set(statuses) == {200}


def test_the_image_trusts_only_the_configured_proxy():
    """No `*` anywhere a server is started; the image's default trusts loopback only."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "forwarded-allow-ips=*" not in dockerfile.replace(" ", "").replace('"', "")
    assert re.search(r"^ENV [^\n]*(\\\n[^\n]*)*FORWARDED_ALLOW_IPS=127\.0\.0\.1\s", dockerfile, re.M)  # uvicorn reads it
    procfile = (ROOT / "Procfile").read_text()
    assert "--forwarded-allow-ips=${FORWARDED_ALLOW_IPS:-127.0.0.1}" in procfile


def test_compose_publishes_only_the_proxy_and_web_trusts_only_it():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    proxy_address = services["proxy"]["networks"]["edge"]["ipv4_address"]
    assert services["web"]["environment"]["FORWARDED_ALLOW_IPS"] == proxy_address
    assert "reverse_proxy web:8000" in (ROOT / "deploy" / "Caddyfile").read_text()
