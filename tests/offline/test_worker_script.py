"""The service worker's script at the site root (so it may control the three pages' paths), never cached by
the browser, and the short page it shows with no copy kept: neither may be kept by the worker itself."""
import pytest
from django.urls import reverse

from ops.offline.views import SCRIPT

pytestmark = pytest.mark.django_db


def test_the_worker_script_is_served_from_its_static_file_at_the_root(client):
    response = client.get(reverse("offline:sw"))
    assert reverse("offline:sw") == "/offline-sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert response.content == SCRIPT.read_bytes()
    assert "X-Offline-Keep" not in response


def test_the_offline_page_says_so_in_the_users_language_and_is_never_kept(client):
    response = client.get(reverse("offline:page"))
    assert response.status_code == 200 and "電波がありません" in response.content.decode()
    assert "X-Offline-Keep" not in response
    english = client.get(reverse("offline:page"), HTTP_ACCEPT_LANGUAGE="en")
    assert "No signal" in english.content.decode()


def test_writes_are_refused(client):
    assert client.post(reverse("offline:sw")).status_code == 405
    assert client.post(reverse("offline:page")).status_code == 405
