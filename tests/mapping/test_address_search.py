"""Staff search addresses by POST (JSON or form body): the answer lists candidates with their confidence in
words and where they came from; bad input is a 4xx with a JSON body; the GSI service is asked only when the
local data has no block-level match, and a service that is down, slow or odd means "local only"."""
import http.server
import io
import json
import threading
import time

import pytest
from django.urls import reverse

from mapping.addresses.importer import import_file
from ops.centres.models import Role
from tests.mapping.address_files import TEST_CITY_BLOCKS, csv_bytes

pytestmark = pytest.mark.django_db

GSI_ANSWER = [{"geometry": {"coordinates": [139.7528, 35.6852], "type": "Point"}, "type": "Feature",
               "properties": {"addressCode": "", "title": "東京都千代田区千代田１"}}]


@pytest.fixture
def loaded(db):
    import_file(io.BytesIO(csv_bytes(TEST_CITY_BLOCKS)), "20999.csv")


@pytest.fixture
def search(client_as, centre):
    client = client_as(Role.INTAKE)
    url = reverse("mapping:address_search", kwargs={"centre": centre.slug})

    def ask(body, *, as_json=True):
        if as_json:
            return client.post(url, json.dumps(body), content_type="application/json")
        return client.post(url, body)

    return ask


class _Service(http.server.BaseHTTPRequestHandler):
    answer: bytes = b"[]"
    delay = 0.0
    asked: list

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.asked.append(self.path)
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def gsi(settings):
    """A local HTTP server answering like the GSI address search; returns its handler class to adjust."""
    handler = type("Handler", (_Service,), {"asked": [], "answer": json.dumps(GSI_ANSWER).encode()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.GEOCODER_ONLINE_URL = f"http://127.0.0.1:{server.server_port}/address-search/AddressSearch?q="
    settings.GEOCODER_ONLINE_TIMEOUT = 0.5
    yield handler
    server.shutdown()
    server.server_close()


def test_a_block_match_from_json_and_from_a_form_body(loaded, search):
    for answer in (search({"q": "中央一丁目12番5号"}), search({"q": "中央1-12-5"}, as_json=False)):
        assert answer.status_code == 200
        assert answer["Cache-Control"] == "no-store"
        assert answer.json() == {"source": "local", "results": [{
            "lat": 36.6512, "lng": 138.1812, "label": "長野県テスト市中央一丁目 12", "level": "block",
            "confidence": "番地・街区まで一致"}]}


def test_nothing_found_says_so(loaded, search):
    assert search({"q": "東京都千代田区千代田1-1"}).json() == {"results": [], "source": "none"}


@pytest.mark.parametrize("body", [{}, {"q": ""}, {"q": "  "}, {"q": 12}, {"q": ["中央"]}, ["q"], {"q": "あ" * 201}])
def test_bad_input_is_a_400_with_words(loaded, search, body):
    answer = search(body)
    assert answer.status_code == 400
    assert answer.json()["error"]


def test_a_body_that_is_not_json_is_a_400(client_as, centre):
    url = reverse("mapping:address_search", kwargs={"centre": centre.slug})
    answer = client_as(Role.INTAKE).post(url, b"{not json", content_type="application/json")
    assert answer.status_code == 400 and answer.json()["error"] == "JSONとして読めません。"


def test_a_body_too_big_is_a_413_with_words(client_as, centre, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    url = reverse("mapping:address_search", kwargs={"centre": centre.slug})
    answer = client_as(Role.INTAKE).post(url, json.dumps({"q": "あ" * 20_000}), content_type="application/json")
    assert answer.status_code == 413  # (a form body that big is refused by the site's middleware: 413 too)
    assert answer.json()["error"] == answer.json()["detail"] == "リクエストが大きすぎます（0.0 MBまで）。"


@pytest.mark.parametrize(("body", "kind"), [(b"--xx\r\njunk", "multipart/form-data; boundary=xx"),
                                            (b"\xff\xfe{", "application/json; charset=latin-1"),
                                            (b'{"q": "a\\u0000b"}', "application/json")])
def test_a_broken_body_is_a_400_with_words(client_as, centre, body, kind):
    url = reverse("mapping:address_search", kwargs={"centre": centre.slug})
    answer = client_as(Role.INTAKE).generic("POST", url, body, content_type=kind)
    assert answer.status_code == 400
    assert answer.json()["status"] == 400 and answer.json()["error"]


def test_get_is_refused(client_as, centre):
    url = reverse("mapping:address_search", kwargs={"centre": centre.slug})
    assert client_as(Role.INTAKE).get(url, {"q": "中央1-12"}).status_code == 405


def test_the_online_service_is_asked_when_local_data_has_no_block(loaded, search, gsi):
    answer = search({"q": "東京都千代田区千代田1-1"}).json()
    assert answer["source"] == "online"
    assert answer["results"] == [{"lat": 35.6852, "lng": 139.7528, "label": "東京都千代田区千代田１",
                                  "level": "online", "confidence": "オンライン検索（国土地理院）の結果"}]
    assert gsi.asked == ["/address-search/AddressSearch?q=%E6%9D%B1%E4%BA%AC%E9%83%BD%E5%8D%83%E4%BB%A3%E7%94%B0"
                         "%E5%8C%BA%E5%8D%83%E4%BB%A3%E7%94%B01-1"]


def test_online_answers_come_before_a_local_town_match(loaded, search, gsi):
    answer = search({"q": "テスト市中央1-99"}).json()
    assert answer["source"] == "online"
    assert [r["level"] for r in answer["results"]] == ["online", "town"]


def test_a_local_block_match_asks_no_one(loaded, search, gsi):
    assert search({"q": "テスト市中央1-12"}).json()["source"] == "local"
    assert gsi.asked == []


@pytest.mark.parametrize("answer", [b"not json", b'{"a": 1}', b'[{"geometry": null}]', b"[]",
                                    b'[{"geometry": {"coordinates": [999, 999]}, "properties": {"title": "x"}}]'])
def test_an_odd_answer_means_local_only(loaded, search, gsi, answer):
    gsi.answer = answer
    assert search({"q": "テスト市中央1-99"}).json()["source"] == "local"


def test_a_hanging_service_means_local_only_within_the_timeout(loaded, search, gsi):
    gsi.delay = 2.0
    started = time.monotonic()
    answer = search({"q": "テスト市中央1-99"}).json()
    assert time.monotonic() - started < 1.5
    assert answer["source"] == "local" and answer["results"][0]["level"] == "town"


def test_a_service_that_is_down_means_local_only(loaded, search, settings):
    settings.GEOCODER_ONLINE_URL = "http://127.0.0.1:9/AddressSearch?q="  # discard port: nothing listens
    assert search({"q": "テスト市中央1-99"}).json()["source"] == "local"
    settings.GEOCODER_ONLINE_URL = "file:///etc/passwd?q="  # never anything but http(s)
    assert search({"q": "東京都千代田区"}).json()["source"] == "none"


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.WELFARE, Role.LEADER, Role.VIEWER])
def test_roles_that_neither_take_needs_nor_dispatch_may_not_search(client_as, centre, role):
    url = reverse("mapping:address_search", kwargs={"centre": centre.slug})
    assert client_as(role).post(url, {"q": "中央1"}).status_code == 403
