# ruff: noqa: F811  (the access matrix's fixtures are this test's too)
"""No response but the three pages a person keeps for themself says X-Offline-Keep (the service worker keeps
only what says it): every route of the access matrix's world, opened by every principal, and every write
sent once. The receptionist who opens a volunteer's link is sent to the staff card, which is never kept."""
import pytest

from tests.security.conftest import PRINCIPALS, client_for, shared_world  # noqa: F401
from tests.security.test_access_matrix import (  # noqa: F401
    AD,
    CO,
    EVERYONE,
    OUT,
    RE,
    ROUTES,
    base_map,
    base_map_file,
    send,
    url_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore")]

# route -> who gets it with the header: the slip and the resident's form (anyone with the page), the personal
# page to all but staff who check people in (they get the card: a redirect)
KEPT = {"dispatch:slip": EVERYONE, "needs:public_request": EVERYONE,
        "volunteers:personal": EVERYONE - {AD, CO, RE, OUT}}


@pytest.fixture
def world(shared_world, db):
    return shared_world


def test_only_the_three_pages_may_be_kept_offline(world):
    wrong = {}
    for name, route in sorted(ROUTES.items()):
        if not route.get:
            continue
        url = url_of(name, world)
        query = route.query(world) if route.query else {}
        for who in PRINCIPALS:
            response = client_for(world, who).get(url, query)
            kept = response.has_header("X-Offline-Keep")
            if kept != (who in KEPT.get(name, ())):
                wrong[f"GET {name} as {who}"] = f"{response.status_code} {'kept' if kept else 'not kept'}"
    assert wrong == {}


def test_no_write_answer_may_be_kept_offline(world):
    kept = []
    for name, route in sorted(ROUTES.items()):
        who = next((p for p in PRINCIPALS if p in (route.post or ())), None)
        if who is None:
            continue
        response = send(client_for(world, who), name, route, world)
        if response.has_header("X-Offline-Keep"):
            kept.append(f"{route.method.upper()} {name} as {who}: {response.status_code}")
    assert kept == []
