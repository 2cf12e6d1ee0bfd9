"""What the phone keeps, in chromium against the live server: never a staff page (nor a volunteer's page a
receptionist opens: a redirect to the staff card), and nothing after a staff logout or the volunteer's
「この端末から記録を消す」: no caches, no outbox or drafts, no service workers."""
import pytest

from ops.centres.models import Role
from tests import factories
from tests.e2e.conftest import login
from tests.offline import conftest_client as client
from tests.offline.conftest_client import (
    cached_urls,
    fill_report,
    kept_storage,
    offline,
    worker_ready,
    workers,
)

centre, slip, checked_in, phone, work_types = (client.centre, client.slip, client.checked_in, client.phone,
                                               client.work_types)  # the fixtures
pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

STAFF_PREFIXES = ("/c/", "/accounts/", "/api/", "/admin/")


def paths(page):
    origin = page.evaluate("location.origin")
    return sorted(url.removeprefix(origin) for url in cached_urls(page))


def phone_with_a_waiting_report(phone, slip):
    page = phone()
    page.goto(f"/s/{slip.slip_token}/")
    worker_ready(page)
    offline(page)
    fill_report(page)
    page.click("#report button.primary[type=submit]")
    page.wait_for_selector("[data-outbox-entry=waiting]")
    offline(page, False)
    page.route(f"**/s/{slip.slip_token}/", lambda route: route.abort())  # it stays waiting
    return page


def test_staff_pages_are_never_in_the_phones_caches(phone, slip, checked_in, centre):
    factories.make_user(Role.RECEPTION, centre, username="desk")
    page = phone()
    volunteer_page = f"/v/{checked_in.volunteer.token}/"
    page.goto(volunteer_page)  # the volunteer's own page, kept on this phone
    worker_ready(page)
    page.goto(f"/s/{slip.slip_token}/")
    worker_ready(page)
    assert {f"/s/{slip.slip_token}/", volunteer_page} <= set(paths(page))

    login(page, "desk")  # a receptionist on the same phone
    for path in (f"/c/{centre.slug}/", f"/c/{centre.slug}/needs/", f"/c/{centre.slug}/dispatch/teams/",
                 f"/c/{centre.slug}/volunteers/reception/"):
        page.goto(path)
    page.goto(volunteer_page)  # the receptionist scans the volunteer's QR: the staff card, inside the scope
    page.wait_for_url(lambda url: "/v/" not in url)
    page.wait_for_timeout(500)
    kept = paths(page)
    assert [p for p in kept if p.startswith(STAFF_PREFIXES)] == []
    assert volunteer_page not in kept  # the server no longer marks it: the worker dropped its copy
    assert checked_in.volunteer.name not in "".join(page.evaluate("""async () => { const texts = [];
        for (const name of await caches.keys()) { const cache = await caches.open(name);
          for (const request of await cache.keys()) texts.push(await (await cache.match(request)).text()); }
        return texts; }"""))


def without_clear_site_data(page, path):
    """A browser that ignores Clear-Site-Data: the header is taken off the answer to POSTs to `path`."""
    def handler(route):
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        assert "clear-site-data" in response.headers  # the server's half, removed here
        route.fulfill(response=response, headers={k: v for k, v in response.headers.items()
                                                  if k.lower() != "clear-site-data"})

    page.route(f"**{path}", handler)


@pytest.mark.parametrize("header", ["honoured", "ignored"])
def test_a_staff_logout_clears_caches_storage_and_workers(phone, slip, centre, header):
    factories.make_user(Role.COORDINATOR, centre, username="coord")
    page = phone_with_a_waiting_report(phone, slip)
    assert cached_urls(page) and kept_storage(page) and workers(page)
    if header == "ignored":
        without_clear_site_data(page, "/accounts/logout/")
    login(page, "coord")
    page.goto(f"/c/{centre.slug}/")
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_selector("[data-offline-forget][data-forgotten='1']")
    assert "この端末に保存されていたページと入力内容を消しました" in page.inner_text("main")
    assert (cached_urls(page), kept_storage(page), workers(page)) == ([], [], [])


@pytest.mark.parametrize("header", ["honoured", "ignored"])
def test_the_volunteers_forget_button_clears_caches_storage_and_workers(phone, slip, checked_in, header):
    page = phone_with_a_waiting_report(phone, slip)
    page.goto(f"/v/{checked_in.volunteer.token}/")
    worker_ready(page)
    assert len(workers(page)) == 2
    if header == "ignored":
        without_clear_site_data(page, f"/v/{checked_in.volunteer.token}/forget/")
    page.click("form[action$='/forget/'] button[type=submit]")
    page.wait_for_selector("[data-offline-forget][data-forgotten='1']")
    assert (cached_urls(page), kept_storage(page), workers(page)) == ([], [], [])
