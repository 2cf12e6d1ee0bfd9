"""連絡済み: staff mark a team past its return time as reached (who and when, on its active dispatch). The teams
page and the staff board offer it for an overdue team and then show the time; it refuses a team not overdue,
one already marked and another centre's team, writing nothing."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from ops.boards.selectors import staff_snapshot
from ops.centres.models import AuditEntry, Event, Role
from ops.dispatch.models import Dispatch
from ops.dispatch.services import DispatchRefused, dispatch, mark_contacted
from tests.dispatch.conftest import make_ready_need, make_team

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 7, 21, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def out_until(centre, due):
    """A team sent at 11:00 (entered after the fact), due back at `due`."""
    team = make_team(centre, 2)
    return team, dispatch(team, make_ready_need(centre), at=NOON - timedelta(hours=1), return_by=due)


def test_marking_records_who_and_when_with_an_audit_row_and_a_board_event(centre, staff):
    coord = staff(Role.COORDINATOR)
    team, record = out_until(centre, NOON - timedelta(minutes=20))

    mark_contacted(team, centre=centre, by=coord)

    record.refresh_from_db()
    assert (record.contacted_at, record.contacted_by) == (NOON, coord)
    [entry] = AuditEntry.objects.filter(action="dispatch.contacted", object_id=str(record.pk), user=coord)
    assert entry.fields == ["contacted_at", "contacted_by_id"]
    event = Event.objects.filter(centre=centre).latest("seq")
    assert event.kind == "dispatch.contacted" and event.public is None
    assert datetime.fromisoformat(event.payload["team"]["contacted_at"]) == NOON
    [row] = [t for t in staff_snapshot(centre)["teams"] if t["id"] == team.pk]
    assert row["overdue"] and datetime.fromisoformat(row["contacted_at"]) == NOON


def test_refusals_write_nothing(centre, other_centre, staff):
    coord = staff(Role.COORDINATOR)
    on_time, _record = out_until(centre, NOON + timedelta(minutes=30))
    late, _late_record = out_until(centre, NOON - timedelta(minutes=5))
    waiting = make_team(centre, 1)
    mark_contacted(late, centre=centre, by=coord)
    before = (list(Dispatch.objects.values_list("pk", "contacted_at")), AuditEntry.objects.count(),
              Event.objects.count())

    for team, where, code in [(on_time, centre, "not_overdue"), (waiting, centre, "not_overdue"),
                              (late, centre, "already"), (late, other_centre, "other_centre")]:
        with pytest.raises(DispatchRefused) as refused:
            mark_contacted(team, centre=where, by=coord)
        assert refused.value.code == code

    assert (list(Dispatch.objects.values_list("pk", "contacted_at")), AuditEntry.objects.count(),
            Event.objects.count()) == before


def test_the_teams_page_offers_it_for_an_overdue_team_and_then_shows_the_time(centre, client_as):
    client = client_as(Role.COORDINATOR)
    team, record = out_until(centre, NOON - timedelta(minutes=20))
    on_time, _ = out_until(centre, NOON + timedelta(hours=1))
    page = client.get(reverse("dispatch:teams", kwargs={"centre": centre.slug})).content.decode()
    action = reverse("dispatch:contacted", kwargs={"centre": centre.slug, "team": team.pk})
    assert action in page
    assert reverse("dispatch:contacted", kwargs={"centre": centre.slug, "team": on_time.pk}) not in page

    response = client.post(action)
    assert response.status_code == 302 and response["Location"].endswith(f"#team-{team.pk}")
    page = client.get(response["Location"]).content.decode()
    assert "連絡済みと記録しました" in page and action not in page and "12:00" in page

    again = client.post(action, follow=True).content.decode()
    assert "すでに連絡済みです（12:00）" in again
    board = client.post(reverse("dispatch:contacted", kwargs={"centre": centre.slug, "team": on_time.pk}),
                        {"back": "board"})
    assert board["Location"] == reverse("boards:staff", kwargs={"centre": centre.slug})
    assert Dispatch.objects.get(team=on_time).contacted_at is None


def test_another_centres_team_is_not_found_and_a_get_changes_nothing(centre, other_centre, client_as):
    client = client_as(Role.COORDINATOR)
    theirs, record = out_until(other_centre, NOON - timedelta(minutes=20))
    url = reverse("dispatch:contacted", kwargs={"centre": centre.slug, "team": theirs.pk})
    assert client.post(url).status_code == 404
    ours, _ = out_until(centre, NOON - timedelta(minutes=20))
    assert client.get(reverse("dispatch:contacted", kwargs={"centre": centre.slug, "team": ours.pk})).status_code == 405
    record.refresh_from_db()
    assert record.contacted_at is None and not Dispatch.objects.exclude(contacted_at=None).exists()


def test_the_staff_board_shows_the_mark_and_offers_the_action_only_to_those_who_dispatch(centre, client_as):
    team, _record = out_until(centre, NOON - timedelta(minutes=20))
    board = reverse("boards:staff", kwargs={"centre": centre.slug})
    action = reverse("dispatch:contacted", kwargs={"centre": centre.slug, "team": team.pk})
    assert action in client_as(Role.COORDINATOR).get(board).content.decode()
    viewer = client_as(Role.VIEWER).get(board).content.decode()
    assert action not in viewer and "data-contact-url" not in viewer
    mark_contacted(team, centre=centre)
    page = client_as(Role.VIEWER).get(board).content.decode()
    assert "連絡済み 12:00" in page
