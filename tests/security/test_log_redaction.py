"""The log filter (dvc/logs.py): what it hides, what it keeps, and that every handler has it. The live run of the
day through uvicorn and a worker is test_logs_live.py."""
import io
import logging
import subprocess
import sys

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter

from dvc.logs import Redact, redact
from harness.stack import ROOT
from tests.security.test_access_matrix import url_patterns

TOKEN = "Sx9-k_Qz0dkwkhGlb8CG39UV2kKfcc_qR4PBQGY66RF"  # the shape of secrets.token_urlsafe()


def private_routes():
    """(name, path) of every route with a secret in its path: a parameter named token or code."""
    for name, pattern in url_patterns(get_resolver()):
        converters = getattr(pattern.pattern, "converters", {})
        if not isinstance(pattern, URLPattern) or not {"token", "code"} & set(converters):
            continue
        kwargs = {}
        for param, converter in converters.items():
            if param in ("token", "code"):
                kwargs[param] = TOKEN
            elif isinstance(converter, IntConverter):
                kwargs[param] = 7
            elif isinstance(converter, SlugConverter):
                kwargs[param] = "demo"
            else:
                kwargs[param] = "x"
        yield name, reverse(name, kwargs=kwargs)


PRIVATE = sorted(private_routes())


def test_the_private_routes_are_found():
    names = {name for name, _path in PRIVATE}
    assert {"volunteers:personal", "volunteers:group", "needs:resident", "dispatch:slip", "volunteers:checkin",
            "api:check_in_by_link", "staff:accept"} <= names, names


@pytest.mark.parametrize(("name", "path"), PRIVATE)
def test_every_private_path_is_redacted_wherever_it_appears(name, path):
    for line in (path, f"http://vc.example.jp{path}", f'127.0.0.1:5100 - "GET {path} HTTP/1.1" 200',
                 f"Not Found: {path}", f"{path}?next=/v/{TOKEN}/"):
        clean = redact(line)
        assert TOKEN not in clean, (name, clean)
        assert "***" in clean


def test_what_the_private_paths_keep():
    assert redact(f"/v/{TOKEN}/checkout/demo/") == "/v/***/checkout/demo/"
    assert redact(f"/p/demo/checkin/{TOKEN}/") == "/p/demo/checkin/***/"
    assert redact(f"/api/v1/volunteers/{TOKEN}/check-in/") == "/api/v1/volunteers/***/check-in/"
    assert redact(f"/invite/{TOKEN}/") == "/invite/***/"
    assert redact("/invite/abcdefghijklmnopqrstuvwxyz_-abcdefghijklmnop/") == "/invite/***/"  # not token-shaped
    assert redact("/c/demo/needs/42/") == "/c/demo/needs/42/"  # staff pages name no secret
    assert redact("/static/needs/intake.js") == "/static/needs/intake.js"


def test_a_token_shaped_segment_is_hidden_on_any_route():
    """A private route added later without its own pattern still loses its token."""
    assert redact(f"/p/demo/volunteers/link/{TOKEN}/") == "/p/demo/volunteers/link/***/"
    assert redact(f"GET /x/{TOKEN}") == "GET /x/***"
    kept = "/c/takeda-city-flood-2026-north-district/needs/12/"  # a long slug is lower case
    assert redact(kept) == kept


def test_a_query_string_is_replaced_whole():
    line = ('127.0.0.1:5100 - "GET /c/demo/needs/?status=open&q=%E8%A8%98%E9%8C%B2%E5%B1%B1+090-7373-2929 '
            'HTTP/1.1" 200')
    assert redact(line) == '127.0.0.1:5100 - "GET /c/demo/needs/?*** HTTP/1.1" 200'
    assert redact("/c/demo/needs/?s=Ab12") == "/c/demo/needs/?***"
    assert redact("本当ですか?はい") == "本当ですか?はい"  # a question mark in words is no query


def test_emails_lose_their_local_part():
    assert redact("550 5.1.1 <fuseo.secret+vc@mail.example.jp>: Recipient rejected") == (
        "550 5.1.1 <***@mail.example.jp>: Recipient rejected")
    assert redact("noreply@localhost") == "noreply@localhost"  # no domain to keep apart from a name


@pytest.mark.parametrize("phone", ["090-7373-2929", "09073732929", "03-1234-5678", "0263-12-3456"])
def test_phone_numbers_are_hidden(phone):
    assert redact(f"registered {phone}") == "registered ***"
    assert redact(f"電話{phone}まで") == "電話***まで"


@pytest.mark.parametrize("kept", [
    "2026-12-06 08:54:40,004", "127.0.0.1:46502", "10.0.0.12", "task 0f3c2d1e-0123-4567-89ab-0123456789ab",
    "N-0042", "report 2026-07-03 built in 0.0123456789s", "version 0.54.0",
])
def test_times_addresses_and_ids_stay(kept):
    assert redact(kept) == kept


def record(msg, *args, exc_info=None, name="test"):
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, exc_info)


def test_uvicorn_access_records_keep_their_five_arguments():
    """uvicorn's AccessFormatter unpacks the request line's arguments: they are redacted, not flattened."""
    from uvicorn.logging import AccessFormatter

    rec = record('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5100", "GET", f"/v/{TOKEN}/?q=090-7373-2929", "1.1", 200,
                 name="uvicorn.access")
    assert Redact().filter(rec)
    assert rec.args == ("127.0.0.1:5100", "GET", "/v/***/?***", "1.1", 200)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False).format(rec)
    assert line.startswith('127.0.0.1:5100 - "GET /v/***/?*** HTTP/1.1" 200'), line


def test_a_token_split_between_format_and_argument_is_still_hidden():
    rec = record("opened /v/%s/", TOKEN)
    Redact().filter(rec)
    assert rec.getMessage() == "opened /v/***/"


def test_tracebacks_are_redacted():
    try:
        raise ValueError(f"no volunteer for /v/{TOKEN}/ (fuseo@example.jp)")
    except ValueError:
        rec = record("boom", exc_info=sys.exc_info())
    Redact().filter(rec)
    text = logging.Formatter().format(rec)
    assert TOKEN not in text and "fuseo@" not in text
    assert "/v/***/" in text


def test_django_not_found_lines_are_redacted(client, db):
    """Django's request logger writes "Not Found: <path>" for every 404: LOGGING's console writes it redacted."""
    console = next(h for h in logging.getLogger().handlers if any(isinstance(f, Redact) for f in h.filters))
    stream = io.StringIO()
    before = console.setStream(stream)
    try:
        client.get(f"/r/{TOKEN}x/?q=090-7373-2929")
    finally:
        console.setStream(before)
    assert "Not Found: /r/***/" in stream.getvalue()
    assert TOKEN not in stream.getvalue()


def test_every_handler_after_django_setup_redacts():
    """LOGGING's handlers, Django's defaults (django.server, mail_admins) and any a library installed before
    settings were applied: each has the filter (pytest's own capture handlers aside)."""
    missing = []
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        for handler in getattr(logger, "handlers", []):
            if type(handler).__module__.startswith("_pytest") or isinstance(handler, logging.NullHandler):
                continue  # pytest's capture; libraries' NullHandlers write nothing
            if not any(isinstance(f, Redact) for f in handler.filters):
                missing.append((getattr(logger, "name", "?"), handler))
    assert missing == [], missing
    assert logging.getLogger("django.server").handlers, "Django's defaults are there, and redact"


CELERY_LOGS = f"""
import django, logging, sys
django.setup()
from celery.utils.log import get_task_logger
from dvc.celery import app
app.log.setup(loglevel="INFO", redirect_stdouts=True)
logging.getLogger("celery.worker").info("opened /v/{TOKEN}/")
get_task_logger("ops.messages.tasks").warning("refused: <fuseo.secret@example.jp>")
print("printed /s/{TOKEN}/?q=090-7373-2929")  # a print in a task: Celery sends it to its log
"""


def test_celery_logs_are_redacted():
    """A worker (and beat) replaces the root logger's handlers with its own: they redact too."""
    done = subprocess.run([sys.executable, "-c", CELERY_LOGS], cwd=ROOT, capture_output=True, text=True, timeout=60)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert TOKEN not in out and "fuseo.secret" not in out and "7373" not in out, out
    assert "opened /v/***/" in out and "<***@example.jp>" in out and "/s/***/?***" in out, out
