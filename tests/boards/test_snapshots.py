"""The snapshot endpoints: who may read them, what they hold, and that their seq matches their state."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ops import events
from ops.centres.models import Role
from ops.dispatch.models import Dispatch, Team
from ops.dispatch.state import team_state
from ops.needs.models import NeedStatus, NeedStatusChange
from ops.needs.state import need_state
from ops.volunteers.models import Booking
from ops.volunteers.state import attendance_state
from tests import factories

pytestmark = pytest.mark.django_db


def staff_snapshot_url(centre):
    return reverse("boards:staff_snapshot", kwargs={"centre": centre.slug})


def test_staff_snapshot_needs_a_staff_member_of_that_centre(client, centre, other_centre):
    url = staff_snapshot_url(centre)
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(factories.make_user(Role.COORDINATOR, other_centre))
    assert client.get(url).status_code == 403
    client.force_login(factories.make_user(Role.RECEPTION, centre))
    assert client.get(url).status_code == 200


def test_staff_snapshot_holds_open_needs_todays_people_and_teams_with_overdue_flags(client_as, centre):
    now = timezone.now()
    open_need = factories.make_need(centre, status=NeedStatus.READY)
    old_done = factories.make_need(centre, status=NeedStatus.COMPLETED, received_at=now - timedelta(days=9))
    type(old_done).objects.filter(pk=old_done.pk).update(updated_at=now - timedelta(days=8))
    in_person = factories.make_attendance(centre)
    gone_home = factories.make_attendance(centre, checked_out_at=now)
    factories.make_attendance(centre, date=timezone.localdate() - timedelta(days=1))
    late = Team.objects.create(centre=centre, date=timezone.localdate(), number=1, status=Team.Status.DISPATCHED,
                               expected_return_at=now - timedelta(minutes=20))
    Team.objects.create(centre=centre, date=timezone.localdate(), number=2, status=Team.Status.ON_SITE,
                        expected_return_at=now + timedelta(hours=2))
    Dispatch.objects.create(centre=centre, team=late, need=open_need, date=timezone.localdate(), people=1,
                            dispatched_at=now, expected_return_at=late.expected_return_at)
    in_person.team = late
    in_person.save()

    body = client_as(Role.VIEWER).get(staff_snapshot_url(centre)).json()

    assert [n["id"] for n in body["needs"]] == [open_need.pk]
    assert {a["id"] for a in body["attendances"]} == {in_person.pk, gone_home.pk}
    teams = {t["label"]: t for t in body["teams"]}
    assert teams["T-01"]["overdue"] is True and teams["T-01"]["need_id"] == open_need.pk
    assert teams["T-02"]["overdue"] is False
    assert body["counts"]["volunteers"] == {"checked_in": 2, "in": 1, "out": 1, "not_back": 1}  # gone home too
    assert body["counts"]["needs"] == {"ready": 1}
    assert body["counts"]["teams"] == {"dispatched": 1, "on_site": 1}
    assert body["counts"]["overdue"] == 1
    assert body["seq"] == events.last_seq(centre.pk) == 0


def test_staff_board_page_shows_the_overdue_team(client_as, centre):
    Team.objects.create(centre=centre, date=timezone.localdate(), number=7, status=Team.Status.DISPATCHED,
                        expected_return_at=timezone.now() - timedelta(minutes=5))
    page = client_as(Role.LEADER).get(reverse("boards:staff", kwargs={"centre": centre.slug}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "T-07" in html and "帰着予定超過" in html
    assert "<script>" not in html  # CSP: scripts come from files only


def test_staff_snapshot_feed_is_the_last_fifty_events(client_as, centre):
    for i in range(60):
        events.emit(centre, "need.changed", {"n": i})
    body = client_as(Role.VIEWER).get(staff_snapshot_url(centre)).json()
    assert body["seq"] == 60
    assert [e["seq"] for e in body["events"]] == list(range(11, 61))


def test_public_snapshot_counts_people_and_completed_needs_and_places_left(client, centre):
    today = timezone.localdate()
    centre.daily_capacity = 3
    centre.notice = "駐車場は満車です\n\n長靴を持参してください"
    centre.save()
    factories.make_attendance(centre)
    factories.make_attendance(centre)
    factories.make_attendance(centre, date=today - timedelta(days=2))
    done_today = factories.make_need(centre, status=NeedStatus.COMPLETED)
    NeedStatusChange.objects.create(need=done_today, from_status="in_progress", to_status="completed")
    done_before = factories.make_need(centre, status=NeedStatus.COMPLETED,
                                      received_at=timezone.now() - timedelta(days=5))
    old = NeedStatusChange.objects.create(need=done_before, from_status="in_progress", to_status="completed")
    NeedStatusChange.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=3))
    factories.make_need(centre, status=NeedStatus.NEW)
    tomorrow = today + timedelta(days=1)
    for _ in range(3):
        Booking.objects.create(volunteer=factories.make_volunteer(), centre=centre, date=tomorrow)
    Booking.objects.create(volunteer=factories.make_volunteer(), centre=centre, date=tomorrow,
                           cancelled_at=timezone.now())

    response = client.get(reverse("boards:public_snapshot", kwargs={"centre": centre.slug}))

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["counters"] == {
        "volunteers_today": 2, "volunteers_total": 3, "needs_received_today": 2, "needs_received_total": 3,
        "needs_completed_today": 1, "needs_completed_total": 2,
    }
    assert body["centre"]["notices"] == ["駐車場は満車です", "長靴を持参してください"]
    assert body["labels"]["status"] == "開設中"
    days = {d["date"]: d for d in body["days"]}
    assert len(days) == 7 and today.isoformat() not in days
    assert days[tomorrow.isoformat()] == {"date": tomorrow.isoformat(), "booked": 3, "capacity": 3, "left": 0,
                                          "closed": False, "suspended": False, "booking_open": False,
                                          "booking_url": None, "offering_url": None}
    assert days[(tomorrow + timedelta(days=1)).isoformat()]["left"] == 3


def test_public_page_renders_for_anyone_in_japanese(client, centre):
    response = client.get(reverse("boards:public", kwargs={"centre": centre.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "開設中" in html and "明日以降のボランティア募集" in html
    assert client.get(reverse("boards:public", kwargs={"centre": "no-such-centre"})).status_code == 404


def test_events_since_returns_the_missing_events_in_order(client_as, client, centre):
    need = factories.make_need(centre)
    events.emit(centre, "need.created", {"need": need_state(need)}, public={"needs_received": 1})
    events.emit(centre, "attendance.checked_in", {"attendance": attendance_state(factories.make_attendance(centre))},
                public={"volunteers_today": 1})
    events.emit(centre, "team.formed", {"team": team_state(Team.objects.create(
        centre=centre, date=timezone.localdate(), number=1))})

    staff = client_as(Role.VIEWER).get(reverse("boards:staff_events", kwargs={"centre": centre.slug}),
                                       {"since": 1}).json()
    assert staff["reload"] is False and staff["seq"] == 3
    assert [(e["seq"], e["kind"]) for e in staff["events"]] == [(2, "attendance.checked_in"), (3, "team.formed")]
    assert staff["events"][1]["data"]["team"]["label"] == "T-01"

    client.logout()
    public = client.get(reverse("boards:public_events", kwargs={"centre": centre.slug}), {"since": 0}).json()
    assert [(e["seq"], e["kind"], e["data"]) for e in public["events"]] == [
        (1, "need.created", {"needs_received": 1}),
        (2, "attendance.checked_in", {"volunteers_today": 1}),
        (3, "tick", None),  # staff-only event: the public board only learns its seq
    ]


def test_events_since_asks_for_a_reload_when_the_gap_is_too_big_or_from_the_future(client, centre):
    for i in range(205):
        events.emit(centre, "need.changed", {"n": i})
    url = reverse("boards:public_events", kwargs={"centre": centre.slug})
    assert client.get(url, {"since": 0}).json() == {"seq": 205, "reload": True, "events": []}
    assert client.get(url, {"since": 999}).json()["reload"] is True
    recent = client.get(url, {"since": 200}).json()
    assert recent["reload"] is False and [e["seq"] for e in recent["events"]] == [201, 202, 203, 204, 205]


@pytest.mark.parametrize("since", ["", "abc", "-1", "1.5"])
def test_events_since_rejects_a_bad_since_with_400(client, centre, since):
    response = client.get(reverse("boards:public_events", kwargs={"centre": centre.slug}), {"since": since})
    assert response.status_code == 400
    assert "error" in response.json()
