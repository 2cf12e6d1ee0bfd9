"""What a running system writes to its logs: a slice of the day played through a real uvicorn (with its access
log on, as `make run` and the image have it) and a real Celery worker, with a resident's and volunteers' personal
values and every kind of private link; then every log file of the run is read, and none of those values or
tokens is there, in any spelling a URL gives them. The redacted lines are there: the log was on.

Searches that carry personal data go as the pages send them (each form's own method); the intake page's
duplicate check and the API's search as their scripts and clients send them (POST)."""
import json
import re
from html.parser import HTMLParser
from urllib.parse import quote, quote_plus

import pytest
import requests

from harness import Stack, free_port
from ops.centres.models import Role
from tests.conftest import _database_url
from tests.needs.conftest import form_data as intake_form
from tests.security.conftest import build_world
from tests.smtp import smtp_server
from tests.volunteers.conftest import CHECKIN_FORM
from tests.volunteers.conftest import form_data as registration_form

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
RESIDENT = {"requester_name": "記録山 秘子", "requester_kana": "キロクヤマ ヒメコ", "phone": "090-7373-2929",
            "address": "テスト市漏洩町9-8-7"}
NEW_RESIDENT = {"requester_name": "受付谷 新子", "requester_kana": "ウケツケダニ シンコ", "phone": "090-6464-8282",
                "address": "テスト市通報町5-5-5"}
NEWCOMER = {"name": "登録川 伏郎", "kana": "トウロクガワ フセロウ", "phone": "080-5858-4646",
            "email": "fuseo.secret@example.jp"}


class Forms(HTMLParser):
    """The page's forms: each one's attributes and the values its fields would send as they stand."""

    def __init__(self, html):
        super().__init__()
        self.forms, self._select = [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": a, "fields": {}})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "radio", "submit", "button"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.forms[-1]["fields"][a["name"]] = ""
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1]["fields"][self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def search(self):
        return next(f for f in self.forms if f["attrs"].get("role") == "search")


class Phone:
    """One browser (cookies, CSRF) on the live server."""

    def __init__(self, base):
        self.base, self.http = base, requests.Session()

    def get(self, path, **kw):
        return self.http.get(self.base + path, timeout=30, **kw)

    def post(self, path, data=None, **kw):
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken", ""), **kw.pop("headers", {})}
        return self.http.post(self.base + path, data=data, headers=headers, timeout=30, **kw)

    def csrf(self, page):
        return Forms(page.text).forms and next(
            (f["fields"]["csrfmiddlewaretoken"] for f in Forms(page.text).forms
             if "csrfmiddlewaretoken" in f["fields"]), "")

    def sign_in(self, user):
        page = self.get("/accounts/login/")
        answer = self.post("/accounts/login/", {"username": user.username, "password": PASSWORD,
                                                "csrfmiddlewaretoken": self.csrf(page)})
        assert answer.ok and "/accounts/login/" not in answer.url, answer.status_code
        return self

    def search(self, path, q):
        """Fill the page's search box and send its form the way the page says (its method)."""
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        form = Forms(page.text).search()
        fields = {**form["fields"], "q": q}
        action = form["attrs"].get("action") or path
        if form["attrs"].get("method", "get").lower() == "post":
            return self.post(action, fields)
        return self.get(action, params=fields)


def spellings(value: str) -> set[str]:
    """A value as a log could hold it: as typed, its digits alone, and percent-encoded as a URL carries it."""
    found = {value, quote(value), quote_plus(value), quote(value, safe="")}
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 8:
        found.add(digits)
    return found


@pytest.fixture
def live(transactional_db, media):
    """A real uvicorn (access log on) and Celery worker on the test database; mail to a local SMTP sink."""
    mail_port = free_port()
    controller, _inbox = smtp_server(mail_port)
    from django.conf import settings

    s = Stack(postgres=False, redis=False)
    s.extra_env = {"DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL, "LOG_LEVEL": "INFO",
                   "EMAIL_URL": f"smtp://127.0.0.1:{mail_port}", "MEDIA_ROOT": str(media)}
    try:
        s.server_url = s.start_server(access_log=True)
        s.start_worker()
        yield s
    finally:
        s.stop()
        controller.stop()


def read_logs(stack) -> str:
    for name in list(stack.procs):
        stack.stop_process(name)  # flushed and closed
    return "\n".join(p.read_text(errors="replace") for p in sorted(stack.dir.rglob("*.log")))


def test_a_day_through_the_real_server_leaves_no_personal_data_or_token_in_the_logs(live):
    world = build_world(resident=RESIDENT)
    centre = world.centre.slug
    base = live.server_url

    # Intake: the duplicate check while typing (as intake.js sends it), then the card is saved.
    intake = Phone(base).sign_in(world.users[Role.INTAKE])
    page = intake.get(f"/c/{centre}/needs/new/")
    check = intake.post(f"/c/{centre}/needs/duplicates/", {
        "phone": RESIDENT["phone"], "name": RESIDENT["requester_name"], "kana": RESIDENT["requester_kana"],
        "address": RESIDENT["address"], "lat": "", "lng": ""}, headers={"Accept": "application/json"})
    assert check.status_code == 200, check.status_code
    assert check.json()["matches"], "the resident's earlier need is found"
    saved = intake.post(f"/c/{centre}/needs/new/", {**intake_form(**NEW_RESIDENT), "csrfmiddlewaretoken":
                                                    intake.csrf(page)})
    assert saved.status_code == 200 and "/needs/new/" not in saved.url, saved.status_code

    # Staff look people up: the needs list by phone and by name, reception by phone and by a scanned QR.
    found = intake.search(f"/c/{centre}/needs/", RESIDENT["phone"])
    assert found.status_code == 200 and world.need.label in found.text
    found = intake.search(f"/c/{centre}/needs/?status=open", NEW_RESIDENT["requester_name"])
    assert found.status_code == 200 and NEW_RESIDENT["address"] in found.text
    reception = Phone(base).sign_in(world.users[Role.RECEPTION])
    found = reception.search(f"/c/{centre}/volunteers/reception/", world.me.phone)
    assert found.status_code == 200 and world.me.name in found.text
    scanned = reception.search(f"/c/{centre}/volunteers/reception/", f"{base}/v/{world.walker.token}/")
    assert scanned.status_code == 200 and world.walker.name in scanned.text

    # The API's search (POST), and a GET that still puts a phone in its query (refused, and not logged).
    api = intake.post(f"/api/v1/centres/{centre}/needs/search/", json.dumps({"q": RESIDENT["phone"]}),
                      headers={"Content-Type": "application/json"})
    assert api.status_code == 200, (api.status_code, api.text[:300])
    assert world.need.label in [row["label"] for row in api.json()["results"]]
    refused = intake.get(f"/api/v1/centres/{centre}/needs/", params={"q": RESIDENT["phone"]})
    assert refused.status_code == 400 and "/needs/search/" in refused.json()["detail"]

    # Private links: the volunteer's page and check-in, the group's, the resident's, the leader's slip.
    phone = Phone(base)
    assert phone.get(f"/v/{world.me.token}/").status_code == 200
    assert phone.get(f"/p/{centre}/checkin/{world.code}/").status_code == 200
    assert phone.get(f"/g/{world.group.token}/").status_code == 200
    assert phone.get(f"/r/{world.need.reference_token}/").status_code == 200
    assert phone.get(f"/s/{world.record.slip_token}/").status_code == 200
    assert phone.get(f"/r/{world.need.reference_token}x/").status_code == 404  # Django logs "Not Found: <path>"
    checked_in = Phone(base).post(f"/api/v1/volunteers/{world.walker.token}/check-in/", json.dumps({
        "centre": centre, "code": world.code, "health": {k: True for k in CHECKIN_FORM if k != "insurance_confirmed"},
        "insurance_confirmed": True}), headers={"Content-Type": "application/json"})
    assert checked_in.status_code in (200, 201), (checked_in.status_code, checked_in.text[:300])

    # A newcomer registers with an email address (their link is mailed by the worker).
    newcomer = Phone(base)
    form = newcomer.get(f"/p/{centre}/volunteers/register/")
    registered = newcomer.post(f"/p/{centre}/volunteers/register/", {
        **registration_form(**NEWCOMER), "csrfmiddlewaretoken": newcomer.csrf(form)})
    assert registered.status_code == 200 and "/v/" in registered.url, registered.status_code
    newcomer_token = registered.url.rstrip("/").rsplit("/", 1)[-1]

    logs = read_logs(live)
    secrets = {
        **{f"resident {k}": v for k, v in RESIDENT.items()}, **{f"new resident {k}": v for k, v in NEW_RESIDENT.items()},
        **{f"newcomer {k}": v for k, v in NEWCOMER.items()}, "newcomer's token": newcomer_token,
        "volunteer's name": world.me.name, "volunteer's phone": world.me.phone, "volunteer's token": world.me.token,
        "walker's token": world.walker.token, "group's token": world.group.token,
        "resident's link": world.need.reference_token, "slip's token": world.record.slip_token,
        "the day's check-in code": world.code,
    }
    leaked = {what: sorted(s for s in spellings(value) if s in logs) for what, value in secrets.items()}
    assert {what: found for what, found in leaked.items() if found} == {}, _lines_with(logs, secrets)
    # The access log was on and wrote these requests, with their private parts redacted.
    for line in ('"GET /v/***/ HTTP/1.1" 200', f'"GET /p/{centre}/checkin/***/ HTTP/1.1" 200',
                 '"POST /api/v1/volunteers/***/check-in/ HTTP/1.1"', "Not Found: /r/***",
                 f'"GET /api/v1/centres/{centre}/needs/?*** HTTP/1.1" 400'):
        assert line in logs, (line, logs[-3000:])


def _lines_with(logs, secrets):
    needles = {s for value in secrets.values() for s in spellings(value)}
    return "\n".join(line for line in logs.splitlines() if any(n in line for n in needles))[:4000]
