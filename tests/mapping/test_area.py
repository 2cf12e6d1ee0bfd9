"""The prefecture view: a disaster's centres on one map, for whoever reads its roll-up; each centre's points at
the precision the registry gives the user there; the feed in a fixed number of queries."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mapping import area
from ops.centres.models import Membership, Role
from ops.needs.models import NeedStatus
from ops.permissions import MATRIX, Cap
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def disaster(db):
    return factories.make_disaster()


def centres_of(disaster, n):
    return [factories.make_centre(disaster=disaster) for _ in range(n)]


def feed(client, centre):
    response = client.get(reverse("mapping:area_feed", kwargs={"centre": centre.slug}))
    assert response.status_code == 200
    return response.json()


def test_every_centre_of_the_disaster_and_no_other(client, disaster):
    home, neighbour = centres_of(disaster, 2)
    elsewhere = factories.make_centre()
    for c, lat in ((home, 36.6512345), (neighbour, 36.7012345), (elsewhere, 35.0)):
        factories.make_need(c, status=NeedStatus.READY, lat=lat, lng=138.1812345, welfare="crisis")
    factories.make_need(home, status=NeedStatus.COMPLETED)
    factories.make_need(home, status=NeedStatus.NEW, lat=None, lng=None)
    client.force_login(factories.make_user(Role.COORDINATOR, home))
    body = feed(client, home)
    assert [c["id"] for c in body["centres"]] == [home.pk, neighbour.pk]
    assert body["centres"][0]["board"] and body["centres"][1]["board"] == ""  # dispatch: only where one may
    rows = {body["centres"][r[3]]["id"]: r for r in body["needs"]}
    assert set(rows) == {home.pk, neighbour.pk}
    # At home the coordinator sees the exact point and the welfare mark; next door, about 100 m and no mark.
    assert rows[home.pk][2] == 36.65123 and rows[home.pk][10] == 1
    assert rows[neighbour.pk][2] == 36.701 and rows[neighbour.pk][10] == 0
    assert body["statuses"][rows[home.pk][4]] == "ready"
    assert "依頼" not in str(body) and "090" not in str(body)


def test_the_feed_takes_the_same_queries_for_two_centres_or_ten(client, disaster):
    user = factories.make_user()
    counts = []
    centres = []
    for n in (2, 10):
        while len(centres) < n:
            c = factories.make_centre(disaster=disaster)
            Membership.objects.create(user=user, centre=c, role=Role.LEADER)
            factories.make_need(c, status=NeedStatus.READY)
            centres.append(c)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            body = feed(client, centres[0])
        assert len(body["needs"]) == n
        counts.append(len([q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]))
    assert counts[0] == counts[1], counts


def test_who_may_open_it(client, disaster):
    home, _neighbour = centres_of(disaster, 2)
    for role, caps in MATRIX.items():
        user = factories.make_user(role, home)
        client.force_login(user)
        expected = 200 if caps & {Cap.VIEW_REPORTS, Cap.DISPATCH} else 403
        for name in ("mapping:area", "mapping:area_feed"):
            assert client.get(reverse(name, kwargs={"centre": home.slug})).status_code == expected, (role, name)
    client.logout()
    assert client.get(reverse("mapping:area_feed", kwargs={"centre": home.slug})).status_code == 302


def test_a_bad_status_is_a_400(client, disaster):
    home = centres_of(disaster, 1)[0]
    client.force_login(factories.make_user(Role.LEADER, home))
    response = client.get(reverse("mapping:area_feed", kwargs={"centre": home.slug}), {"status": "nope"})
    assert response.status_code == 400 and response.json()["error"]


def test_the_board_links_the_prefecture_view_only_when_there_are_several_centres(client, disaster):
    home = centres_of(disaster, 1)[0]
    client.force_login(factories.make_user(Role.COORDINATOR, home))
    board = reverse("mapping:board", kwargs={"centre": home.slug})
    link = reverse("mapping:area", kwargs={"centre": home.slug})
    assert link not in client.get(board).content.decode()
    factories.make_centre(disaster=disaster)
    assert link in client.get(board).content.decode()
    assert area.area_centres(home)[0] == home


def test_the_page_keeps_the_statuses_chosen(client, disaster):
    home = centres_of(disaster, 1)[0]
    client.force_login(factories.make_user(Role.LEADER, home))
    page = client.get(reverse("mapping:area", kwargs={"centre": home.slug}),
                      {"status": ["completed", "cancelled"]}).content.decode()
    assert 'value="completed" checked' in page and 'value="cancelled" checked' in page
    assert 'value="ready" checked' not in page
    junk = client.get(reverse("mapping:area", kwargs={"centre": home.slug}), {"status": "nope"}).content.decode()
    assert 'value="ready" checked' in junk  # the usual open statuses
