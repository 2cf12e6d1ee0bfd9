"""Content-Security-Policy: production answers carry a policy that allows no inline script or style, and
no page relies on any (an inline script with a body, an on*= handler, a javascript: link, a style=""
attribute or a <style> element would simply not run or apply under it)."""
import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from harness.stack import ROOT
from ops.centres.models import Role
from tests.foundation.test_settings import PRODUCTION_ENV
from tests.security.conftest import ANONYMOUS, VOLUNTEER, client_for
from tests.security.test_access_matrix import ROUTES, url_of

# A production process (DEBUG off, HTTPS on behind the proxy) answering a page and a public JSON feed.
FETCH = """
import django, json
django.setup()
from django.test import Client
client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="vc.example.jp")
answers = {}
for path in ("/accounts/login/", "/healthz?skip=celery,redis"):
    r = client.get(path)
    answers[path] = {"status": r.status_code, "csp": r.get("Content-Security-Policy"),
                     "report_only": r.get("Content-Security-Policy-Report-Only")}
print(json.dumps(answers))
"""


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.smoke
def test_production_answers_carry_a_policy_without_inline_script_or_style(tmp_path):
    # Plain static storage: the manifest only exists after collectstatic, and it does not touch the headers.
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path}/csp.sqlite3", "STATIC_MANIFEST": "false"}
    out = subprocess.run([sys.executable, "-c", FETCH], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    for path, answer in json.loads(out.stdout.strip().splitlines()[-1]).items():
        assert answer["csp"], f"{path} ({answer['status']}) has no Content-Security-Policy"
        assert answer["report_only"] is None, "a report-only policy protects nothing"
        policy = directives(answer["csp"])
        for directive in ("script-src", "style-src", "default-src"):
            assert directive in policy, (path, directive)
            assert "'unsafe-inline'" not in policy[directive] and "'unsafe-eval'" not in policy[directive], (
                path, directive, policy[directive])
            assert "*" not in policy[directive] and "data:" not in policy[directive], (path, directive)
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], path


class InlineFinder(HTMLParser):
    """Collects what a strict CSP blocks: inline scripts with a body (JSON data blocks are data, not code),
    on*= attributes, javascript: URLs, style attributes and <style> elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "style":
            self.found.append("<style> element")
        if tag == "script":
            self._script = {"src": attrs.get("src"), "type": (attrs.get("type") or "").lower(), "body": ""}

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._script is not None:
            self._script["body"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            script, self._script = self._script, None
            if script["body"].strip() and script["type"] not in ("application/json", "application/ld+json"):
                self.found.append(f"inline <script>: {script['body'].strip()[:60]!r}")


def blocked_by_csp(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


@pytest.fixture
def world(shared_world, db):
    return shared_world


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.get))
def test_no_page_needs_inline_script_or_style(world, name):
    """Every page of the matrix, as an administrator and as whoever else may open it (a volunteer's phone,
    the public) — other roles get the same templates."""
    route = ROUTES[name]
    readers = [who for who in (Role.ADMIN, VOLUNTEER, ANONYMOUS) if who in route.get]
    for who in readers:
        response = client_for(world, who).get(url_of(name, world), route.query(world) if route.query else {})
        if "text/html" not in response.get("Content-Type", "") or response.streaming:
            continue
        assert response.has_header("Content-Security-Policy"), name
        found = blocked_by_csp(response.content.decode())
        assert found == [], f"{name} as {who}: {found}"


def test_the_finder_finds_what_csp_blocks():
    page = """<p style="color:red" onclick="go()"><a href="javascript:void(0)">x</a></p><style>p{}</style>
    <script>alert(1)</script><script src="/static/a.js"></script>
    <script id="d" type="application/json">{"a": 1}</script>"""
    assert len(blocked_by_csp(page)) == 5
    assert blocked_by_csp('<script src="/static/a.js"></script><img src="/x.png" alt="">') == []
