"""活動中止: suspending a whole day or from an hour, what it stops (booking a whole day, check-in, dispatch)
and what it does not (return reports), who is told by mail, what the boards may know, and lifting it."""
import json
from datetime import time, timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse

from ops.boards import selectors
from ops.centres import suspension as service
from ops.centres.models import AuditEntry, Event, Role, Suspension
from ops.dispatch.errors import DispatchRefused
from ops.dispatch.services import dispatch, file_return_report
from ops.messages.models import OutboundMail
from ops.volunteers.models import Booking, Group
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import book, cancel_booking, check_in
from tests import factories
from tests.conftest import run_together
from tests.dispatch.conftest import END_OF_DAY, make_ready_need, make_team

HEALTHY = {"no_fever": True, "feeling_well": True, "rested": True}


@pytest.fixture
def centre(db):
    return factories.make_centre(latest_return_time=END_OF_DAY, phone="026-000-0000")


@pytest.fixture
def coordinator(centre):
    return factories.make_user(Role.COORDINATOR, centre)


def tomorrow(centre):
    return centre.today() + timedelta(days=1)


def suspend(centre, by=None, *, day=None, starts_at=None, reason="heat_alert", note=""):
    return service.suspend(centre, day=day or centre.today(), starts_at=starts_at, reason=reason, note=note, by=by)


# --- the facts on the model ------------------------------------------------------------------------------------

def test_a_suspension_from_an_hour_is_in_force_from_that_hour_of_its_day_only(centre):
    s = suspend(centre, starts_at=time(13, 0))
    day = centre.today()
    assert not s.whole_day
    assert Suspension.objects.in_force(centre, centre.at(day, time(12, 59))) is None
    assert Suspension.objects.in_force(centre, centre.at(day, time(13, 0))) == s
    assert Suspension.objects.in_force(centre, centre.at(day + timedelta(days=1), time(14, 0))) is None
    assert Suspension.objects.on(centre, day) == s


def test_a_whole_day_is_in_force_from_midnight_and_an_hour_before_work_begins_is_the_whole_day(centre):
    s = suspend(centre, day=tomorrow(centre), starts_at=time(7, 0))  # before 受付開始 (8:30)
    assert s.whole_day
    assert Suspension.objects.in_force(centre, centre.at(tomorrow(centre), time(0, 0))) == s


def test_one_active_suspension_a_day_and_a_lift_allows_another(centre, coordinator):
    first = suspend(centre, coordinator)
    with pytest.raises(service.SuspensionError, match="すでに活動中止"):
        suspend(centre, coordinator, reason="heavy_rain")
    service.lift(first, by=coordinator)
    with pytest.raises(service.SuspensionError, match="すでに解除"):
        service.lift(first, by=coordinator)
    second = suspend(centre, coordinator, starts_at=time(13, 0), reason="aftershock")
    assert Suspension.objects.on(centre, centre.today()) == second


@pytest.mark.parametrize("kwargs, field", [
    ({"reason": "typhoon"}, "reason"),
    ({"note": "x" * 201}, "note"),
    ({"day_offset": -1}, "day"),
    ({"day_offset": 15}, "day"),
])
def test_bad_input_is_refused_and_writes_nothing(centre, kwargs, field):
    offset = kwargs.pop("day_offset", 0)
    with pytest.raises(service.SuspensionError) as err:
        suspend(centre, day=centre.today() + timedelta(days=offset), **kwargs)
    assert err.value.field == field
    assert not Suspension.objects.exists() and not Event.objects.filter(kind="centre.suspended").exists()


# --- what it stops, and what it does not ------------------------------------------------------------------------

def test_check_in_is_refused_while_in_force_and_works_again_after_the_lift(centre, coordinator):
    volunteer = factories.make_volunteer()
    s = suspend(centre, coordinator, reason="heavy_rain")
    with pytest.raises(VolunteerError) as err:
        check_in(volunteer, centre, on=centre.today(), health=HEALTHY, insurance_confirmed=True)
    assert err.value.code == "suspended" and "大雨" in err.value.message and "活動中止" in err.value.message
    service.lift(s, by=coordinator)
    assert check_in(volunteer, centre, on=centre.today(), health=HEALTHY, insurance_confirmed=True).created


def test_a_suspended_whole_day_takes_no_booking_but_a_suspended_afternoon_does(centre):
    volunteer = factories.make_volunteer()
    suspend(centre, day=tomorrow(centre))
    with pytest.raises(VolunteerError) as err:
        book(volunteer, centre, on=tomorrow(centre))
    assert err.value.code == "suspended"
    day_after = tomorrow(centre) + timedelta(days=1)
    suspend(centre, day=day_after, starts_at=time(13, 0))
    assert book(volunteer, centre, on=day_after).created  # the morning still works


def test_no_team_leaves_while_in_force(centre, coordinator):
    team, need = make_team(centre, 2), make_ready_need(centre)
    suspend(centre, coordinator, reason="aftershock")
    with pytest.raises(DispatchRefused, match="活動中止"):
        dispatch(team, need, by=coordinator)
    assert team.dispatches.count() == 0


def test_a_team_in_the_field_can_still_report_its_return(centre, coordinator):
    team, need = make_team(centre, 2), make_ready_need(centre)
    record = dispatch(team, need, by=coordinator)
    suspend(centre, coordinator)
    report = file_return_report(record, outcome="could_not", people=2, hours=1, via="leader")
    assert report.pk


# --- who is told ---------------------------------------------------------------------------------------------

@pytest.fixture
def booked(centre):
    """Tomorrow's bookings: one volunteer, a group's leader for 4 (the group has its own address), one without
    an address, one cancelled."""
    day = tomorrow(centre)
    single = factories.make_volunteer(email="single@example.jp")
    leader = factories.make_volunteer(email="leader@example.jp")
    group = Group.objects.create(name="テスト建設", leader_name=leader.name, phone="090-1111-2222",
                                 email="office@example.jp", member_count=4, leader=leader, centre=centre)
    leader.group = group
    leader.save(update_fields=["group"])
    no_mail = factories.make_volunteer(email="")
    gone = factories.make_volunteer(email="gone@example.jp")
    book(single, centre, on=day)
    book(leader, centre, on=day, head_count=4)
    book(no_mail, centre, on=day)
    cancel_booking(book(gone, centre, on=day))
    return {"single": single, "leader": leader, "group": group, "no_mail": no_mail, "gone": gone}


def test_each_booked_volunteer_and_the_groups_address_get_one_mail_with_the_stop_calls_link(centre, coordinator,
                                                                                            booked):
    s = suspend(centre, coordinator, day=tomorrow(centre), starts_at=time(13, 0), reason="heat_alert",
                note="熱中症警戒アラートのため")
    mails = list(OutboundMail.objects.filter(kind=OutboundMail.Kind.SUSPENSION).order_by("pk"))
    assert sorted(a for m in mails for a in m.to) == ["leader@example.jp", "office@example.jp", "single@example.jp"]
    assert s.mailed == 3 and s.without_mail == 1
    for mail in mails:
        assert mail.state == OutboundMail.State.QUEUED
        assert centre.name in mail.subject and "活動中止" in mail.subject
        assert "13:00から" in mail.body and "熱中症警戒アラート" in mail.body and "熱中症警戒アラートのため" in mail.body
        assert centre.phone in mail.body
        assert "/m/stop/" in mail.body and "List-Unsubscribe" in mail.headers
        assert mail.about.startswith("volunteers.booking:")
    group_mails = [m for m in mails if "office@example.jp" in m.to or "leader@example.jp" in m.to]
    assert all("テスト建設 様" in m.body for m in group_mails)


def test_mails_are_in_japanese_whoever_presses_and_a_lift_tells_them_it_resumes(centre, coordinator, booked):
    from django.utils import translation

    with translation.override("en"):
        s = suspend(centre, coordinator, day=tomorrow(centre))
    assert "活動中止のお知らせ" in OutboundMail.objects.get(kind=OutboundMail.Kind.SUSPENSION, to=["single@example.jp"]).subject
    service.lift(s, by=coordinator)
    resumed = OutboundMail.objects.filter(kind=OutboundMail.Kind.SUSPENSION, subject__contains="再開")
    assert resumed.count() == 3
    assert Booking.objects.on(centre, tomorrow(centre)).count() == 3  # the bookings stayed


def test_a_rolled_back_suspend_queues_nothing(centre, coordinator, booked):
    with pytest.raises(RuntimeError), transaction.atomic():
        suspend(centre, coordinator, day=tomorrow(centre))
        raise RuntimeError("the caller's transaction fails")
    assert not Suspension.objects.exists()
    assert not OutboundMail.objects.filter(kind=OutboundMail.Kind.SUSPENSION).exists()
    assert not Event.objects.filter(kind="centre.suspended").exists()


def test_suspend_and_lift_are_audited(centre, coordinator):
    s = suspend(centre, coordinator)
    service.lift(s, by=coordinator)
    actions = set(AuditEntry.objects.filter(object_type="centres.suspension").values_list("action", "user"))
    assert actions == {("centre.suspended", coordinator.pk), ("centre.resumed", coordinator.pk)}


# --- what the boards may know ----------------------------------------------------------------------------------

def test_the_public_event_and_snapshot_carry_the_suspension_and_nobody_personal(centre, coordinator, booked):
    suspend(centre, coordinator, day=tomorrow(centre), reason="heavy_rain", note="川が増水しています")
    suspend(centre, coordinator, starts_at=time(13, 0), reason="heat_alert")
    event = Event.objects.filter(kind="centre.suspended").last()
    public = json.dumps(event.public, ensure_ascii=False)
    snapshot = json.dumps(selectors.public_snapshot(centre), ensure_ascii=False)
    for text in (public, snapshot):
        assert '"starts_at": "13:00"' in text and "heat_alert" in text and "川が増水しています" in text
        for secret in ("single@example.jp", "office@example.jp", booked["leader"].name, booked["single"].name,
                       coordinator.username, "テスト建設"):
            assert secret not in text
    days = [s["date"] for s in selectors.public_snapshot(centre)["centre"]["suspensions"]]
    assert days == [centre.today().isoformat(), tomorrow(centre).isoformat()]


def test_the_public_board_page_and_the_staff_board_show_the_banner(client, centre, coordinator):
    suspend(centre, coordinator, starts_at=time(13, 0), reason="aftershock", note="余震が続いています")
    page = client.get(reverse("boards:public", kwargs={"centre": centre.slug})).content.decode()
    assert "活動中止" in page and "13:00から" in page and "余震" in page and "余震が続いています" in page
    client.force_login(coordinator)
    page = client.get(reverse("boards:staff", kwargs={"centre": centre.slug})).content.decode()
    assert "13:00から" in page and reverse("centre_suspension", kwargs={"centre": centre.slug}) in page


def test_the_slip_shows_the_return_call_of_its_day(client, centre, coordinator):
    record = dispatch(make_team(centre, 2), make_ready_need(centre), by=coordinator)
    url = reverse("dispatch:slip", kwargs={"token": record.slip_token})
    assert "ただちに作業を切り上げ" not in client.get(url).content.decode()
    suspend(centre, coordinator, day=tomorrow(centre))  # another day: no call today
    assert "ただちに作業を切り上げ" not in client.get(url).content.decode()
    suspend(centre, coordinator, starts_at=time(13, 0), reason="heavy_rain")
    page = client.get(url).content.decode()
    assert "ただちに作業を切り上げ" in page and "13:00から" in page and "大雨" in page
    assert f"/ws/p/{centre.slug}/board/" in page


# --- the page --------------------------------------------------------------------------------------------------

def test_the_page_suspends_from_an_hour_and_lifts(client, centre, coordinator, booked):
    client.force_login(coordinator)
    url = reverse("centre_suspension", kwargs={"centre": centre.slug})
    response = client.post(url, {"day": tomorrow(centre).isoformat(), "span": "from_time", "starts_at": "13:00",
                                 "reason": "heat_alert", "note": "午後は中止"}, follow=True)
    assert response.status_code == 200
    s = Suspension.objects.get()
    assert s.starts_at == time(13, 0) and s.created_by == coordinator
    assert "3通" in response.content.decode() and "1件" in response.content.decode()
    client.post(url, {"action": "lift", "suspension": s.pk})
    s.refresh_from_db()
    assert s.lifted_by == coordinator


@pytest.mark.parametrize("data, error", [
    ({"span": "from_time", "starts_at": ""}, "中止する時刻を入力してください"),
    ({"span": "from_time", "starts_at": "25:99"}, "starts_at"),
    ({"span": "whole_day", "reason": "nope"}, "reason"),
    ({"span": "whole_day", "day": "2001-01-01"}, "day"),
])
def test_the_page_refuses_bad_input_with_a_field_error(client, centre, coordinator, data, error):
    client.force_login(coordinator)
    body = {"day": centre.today().isoformat(), "reason": "heavy_rain", "note": "", **data}
    response = client.post(reverse("centre_suspension", kwargs={"centre": centre.slug}), body)
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page or f'id="id_{error}"' in page and "has-error" in page
    assert not Suspension.objects.exists()


# --- two staff at once ----------------------------------------------------------------------------------------

@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_two_staff_suspending_at_once_make_one_suspension_and_one_set_of_mails():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL (make test)")
    centre = factories.make_centre()
    users = [factories.make_user(Role.COORDINATOR, centre) for _ in range(2)]
    day = tomorrow(centre)
    for n in range(3):
        book(factories.make_volunteer(email=f"v{n}@example.jp"), centre, on=day)
    results, errors = run_together(2, lambda i: service.suspend(centre, day=day, starts_at=None,
                                                                reason="heavy_rain", by=users[i]))
    assert sum(r is not None for r in results) == 1
    assert [type(e) for e in errors if e is not None] == [service.SuspensionError]
    assert Suspension.objects.count() == 1
    assert OutboundMail.objects.filter(kind=OutboundMail.Kind.SUSPENSION).count() == 3
    assert Event.objects.filter(kind="centre.suspended").count() == 1


def test_the_public_board_marks_a_suspended_whole_day_in_the_recruitment_table(client, centre):
    suspend(centre, day=tomorrow(centre), reason="heavy_rain")
    page = client.get(reverse("boards:public", kwargs={"centre": centre.slug})).content.decode()
    row = page.split(f'data-date="{tomorrow(centre).isoformat()}"', 1)[1].split("</tr>", 1)[0]
    assert "活動中止" in row


# --- a check-in, a booking or a dispatch racing the suspend -------------------------------------------------------

def _race_the_suspend(centre, write, **suspend_kwargs):
    """`write` starts while the suspend holds the centre's row; the suspend commits; `write` then runs on."""
    import threading

    from tests.centres.test_closing import _wait_for_a_lock_wait

    outcome = {}

    def racer():
        try:
            outcome["value"] = write()
        except Exception as err:
            outcome["error"] = err
        finally:
            connection.close()

    thread = threading.Thread(target=racer)
    with transaction.atomic():
        type(centre).objects.select_for_update().get(pk=centre.pk)  # the suspend's lock, taken first
        thread.start()
        _wait_for_a_lock_wait(outcome)
        suspend(centre, **suspend_kwargs)
    thread.join(10)
    return outcome


@pytest.fixture
def postgres_race(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("a race on PostgreSQL")


@pytest.mark.pg
def test_a_check_in_racing_the_suspend_is_refused(postgres_race):
    centre = factories.make_centre()
    volunteer = factories.make_volunteer()
    outcome = _race_the_suspend(centre, lambda: check_in(volunteer, centre, on=centre.today(), health=HEALTHY,
                                                         insurance_confirmed=True))
    assert isinstance(outcome.get("error"), VolunteerError) and outcome["error"].code == "suspended", outcome
    assert not Event.objects.filter(centre=centre, kind="attendance.checked_in").exists()


@pytest.mark.pg
def test_a_booking_racing_the_suspend_of_that_day_is_refused(postgres_race):
    centre = factories.make_centre()
    volunteer = factories.make_volunteer()
    outcome = _race_the_suspend(centre, lambda: book(volunteer, centre, on=tomorrow(centre)), day=tomorrow(centre))
    assert isinstance(outcome.get("error"), VolunteerError) and outcome["error"].code == "suspended", outcome
    assert not Booking.objects.filter(centre=centre).exists()


@pytest.mark.pg
def test_a_dispatch_racing_the_suspend_is_refused(postgres_race):
    centre = factories.make_centre(latest_return_time=END_OF_DAY)
    team, need = make_team(centre, 2), make_ready_need(centre)
    outcome = _race_the_suspend(centre, lambda: dispatch(team, need))
    assert isinstance(outcome.get("error"), DispatchRefused) and "活動中止" in outcome["error"].message, outcome
    assert team.dispatches.count() == 0
