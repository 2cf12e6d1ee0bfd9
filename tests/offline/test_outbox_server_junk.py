# ruff: noqa: F811  (the fixtures imported from conftest_server are the tests' arguments)
"""Whatever the outbox sends, never a 500 and always a JSON answer the phone can act on: junk keys (then it is
a plain post), junk typed times, junk fields, on the three forms."""
import pytest

from tests.needs.test_public_request import public_data, request_url
from tests.offline.conftest_server import (  # noqa: F401
    REPORT,
    attendance,
    centre,
    checkout_url,
    new_key,
    outbox_post,
    record,
    slip_url,
)

pytestmark = pytest.mark.django_db
# (a NUL byte is refused before any view, by dvc.middleware: nobody types one)
JUNK = ["", "9" * 300, "2026-02-30T10:00:00+09:00", "-1", "NaN", "<script>", "𠮷" * 40,
        "2026-12-07T14:05:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00+00:00"]


def _forms(record, attendance, centre):
    return [(slip_url(record), REPORT), (slip_url(record), {"action": "arrived"}),
            (checkout_url(attendance), {}), (request_url(centre), public_data())]


@pytest.mark.parametrize("junk", JUNK)
def test_a_junk_typed_time_or_field_is_answered_in_json(client, record, attendance, centre, junk):
    for url, data in _forms(record, attendance, centre):
        for body in ({**data, "typed_at": junk}, {**dict.fromkeys(data, junk), "typed_at": junk}):
            response = client.post(url, {**body, "submit_key": new_key()}, HTTP_X_SUBMIT_KEY=new_key(),
                                   HTTP_ACCEPT="application/json")
            assert response.status_code < 500, (url, body, response.status_code)
            assert response["Content-Type"].startswith("application/json"), (url, response.status_code)
            assert response.json()["state"] in ("received", "refused", "invalid", "later")


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "a-b" * 30, "日本語" * 8, "../../../etc/passwd/...."])
def test_a_junk_key_is_a_plain_post(client, record, key):
    response = client.post(slip_url(record), {**REPORT, "hours": "abc", "submit_key": key},
                           HTTP_X_SUBMIT_KEY=key, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
