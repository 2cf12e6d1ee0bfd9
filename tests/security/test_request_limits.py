"""Limits on what a request may carry, checked on a real uvicorn before anything is read or stored (issue 17:
an anonymous 300 MB POST filled the temp directory before its 403, a 50 MB JSON body gave a 500, a 200 kB
header was accepted)."""
import json
import socket
import time

import pytest
from django.conf import settings
from django.urls import reverse

from harness import Stack
from ops.centres.models import Role
from ops.needs.services import importing, photos

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

LIMIT = 1024 * 1024  # the server below runs with 1 MB to keep the test quick; the default is in settings


@pytest.fixture(scope="module")
def server(stack, tmp_path_factory):
    """A server of its own: a small body limit and an empty temp directory to look into afterwards."""
    tmp = tmp_path_factory.mktemp("server-tmp")
    own = Stack(postgres=False, redis=False)
    try:
        own.url = own.start_server(env=stack.env(REQUEST_BODY_MAX_BYTES=str(LIMIT), TMPDIR=str(tmp)))
        own.tmp = tmp
        yield own
    finally:
        own.stop()


def _exchange(url: str, head: bytes, body_chunks=(), timeout: float = 10.0) -> tuple[int, dict, bytes, int]:
    """Send a raw request (head, then the chunks while the server takes them); return the status, headers and
    body of the answer and how many body bytes went out before it came."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    sent = 0
    try:
        sock.sendall(head)
        for chunk in body_chunks:
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        sock.settimeout(timeout)
        data = b""
        while b"\r\n\r\n" not in data:
            part = sock.recv(65536)
            if not part:
                break
            data += part
        head_part, _, rest = data.partition(b"\r\n\r\n")
        lines = head_part.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", 0))
        deadline = time.monotonic() + timeout
        while len(rest) < length and time.monotonic() < deadline:
            part = sock.recv(65536)
            if not part:
                break
            rest += part
        return int(lines[0].split()[1]), headers, rest, sent
    finally:
        sock.close()


def _head(path: str, **headers) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def test_the_default_limit_is_above_every_upload_the_pages_take():
    assert settings.REQUEST_BODY_MAX_BYTES > importing.MAX_BYTES and settings.REQUEST_BODY_MAX_BYTES > photos.MAX_BYTES
    assert settings.REQUEST_BODY_MAX_BYTES >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.parametrize("path, json_answer", [("/api/v1/volunteer/check-in/", True), ("/accounts/login/", False)])
def test_a_body_declared_over_the_limit_is_refused_before_any_of_it_is_sent(server, path, json_answer):
    status, headers, body, _ = _exchange(server.url, _head(path, Content_Type="application/json",
                                                             Content_Length=300 * 1024 * 1024), timeout=5)
    assert status == 413
    if json_answer:
        assert headers["content-type"].startswith("application/json")
        assert json.loads(body)["status"] == 413 and json.loads(body)["code"] == "too_large"
    else:
        assert "大きすぎます" in body.decode()


def test_a_chunked_body_is_cut_off_at_the_limit_and_nothing_stays_in_the_temp_directory(server):
    chunk = b"x" * 65536
    framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    chunks = [framed] * (40 * 1024 * 1024 // len(chunk))  # 40 MB offered, 1 MB allowed
    status, _, _, sent = _exchange(server.url, _head("/accounts/login/", Content_Type="application/octet-stream",
                                                     Transfer_Encoding="chunked"), chunks)
    assert status == 413
    assert sent < 20 * 1024 * 1024, f"{sent} bytes were taken before the answer"
    assert list(server.tmp.iterdir()) == []


def test_a_50_mb_json_body_to_the_api_is_a_413_json_answer(server):
    body = b'{"x": "' + b"a" * (50 * 1024 * 1024) + b'"}'
    status, headers, answer, _ = _exchange(server.url, _head("/api/v1/volunteer/check-in/",
                                                             Content_Type="application/json",
                                                             Content_Length=len(body)), [body], timeout=30)
    assert status == 413 and headers["content-type"].startswith("application/json"), answer[:300]


def test_a_body_under_the_limit_still_reaches_the_view(server):
    body = json.dumps({"x": "a" * 1000}).encode()
    status, headers, answer, _ = _exchange(server.url, _head("/api/v1/volunteer/check-in/",
                                                             Content_Type="application/json",
                                                             Content_Length=len(body)), [body])
    assert status in (401, 403), answer[:300]  # no credentials: the view answered, not the limit


@pytest.mark.django_db
def test_the_api_answers_data_too_big_with_a_413_json_error(client_as, centre, settings):
    """Past DATA_UPLOAD_MAX_MEMORY_SIZE (under the server's limit, or without the ASGI layer) Django raises
    RequestDataTooBig when the body is parsed: the API's answer is its JSON 413, not a 500."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = client_as(Role.COORDINATOR)
    response = client.post(reverse("api:teams", kwargs={"centre": centre.slug}),
                           json.dumps({"x": "a" * 5000}), content_type="application/json")
    assert response.status_code == 413, response.content[:300]
    assert response.json()["code"] == "too_large"


# --- headers ---------------------------------------------------------------------------------------------
def _get_head(path: str, extra: list[tuple[str, str]]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *(f"{k}: {v}" for k, v in extra)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def test_a_200_kb_header_is_refused_with_431(server):
    status, _, body, _ = _exchange(server.url, _get_head("/healthz?skip=celery", [("X-Big", "a" * 200_000)]))
    assert status == 431, body[:200]


def test_many_headers_past_the_total_are_refused_with_431(server):
    many = [(f"X-H{i}", "b" * 900) for i in range(60)]  # each small, 54 kB together
    status, _, body, _ = _exchange(server.url, _get_head("/healthz?skip=celery", many))
    assert status == 431, body[:200]


def test_a_header_that_never_ends_is_cut_off(server):
    head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Endless: "
    status, _, _, _ = _exchange(server.url, head, [b"c" * 16384] * 64)  # 1 MB of one header, never finished
    assert status == 431  # answered while the header was still coming (the old server waited for its end)


def test_ordinary_headers_and_a_long_cookie_still_pass(server):
    status, _, body, _ = _exchange(server.url, _get_head("/healthz?skip=celery", [
        ("Cookie", "sessionid=" + "d" * 4000), ("User-Agent", "Mozilla/5.0 " + "e" * 500), ("X-Medium", "f" * 8000)]))
    assert status in (200, 503), body[:200]  # /healthz answered


def test_every_way_the_server_is_started_uses_the_protocol_with_the_header_limit():
    from harness.stack import ROOT

    for name in ("Procfile", "Dockerfile", "harness/stack.py"):
        assert "dvc.server:HttpToolsProtocol" in (ROOT / name).read_text(), name


def test_form_fields_past_data_upload_max_memory_size_are_a_413_on_the_real_server(stack):
    """Under the body limit (a photo may be 10 MB) but past what a form's fields or a JSON body need: Django
    refuses it when the form is read (before the CSRF check), as a 413."""
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * 1024 * 1024
    body = b"username=a&password=" + b"p" * (5 * 1024 * 1024)
    status, _, answer, _ = _exchange(stack.server_url, _head(
        "/accounts/login/", Content_Type="application/x-www-form-urlencoded", Content_Length=len(body)), [body],
        timeout=30)
    assert status == 413, answer[:300]
