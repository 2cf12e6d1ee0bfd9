"""Closing the centre (閉所): what stops, who keeps which access, what the page shows, and that a booking or a
check-in racing the close cannot slip in after it. Reopening undoes it."""
import re
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from ops.centres import closing
from ops.centres.models import AuditEntry, Centre, Event, Role
from ops.dispatch.models import Team
from ops.messages.models import OutboundMail
from ops.permissions import AFTER_CLOSING, MATRIX, Cap, caps_of
from ops.volunteers.models import Attendance, Booking
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import book, check_in, register_volunteer
from tests import factories

HEALTHY = {"no_fever": True, "feeling_well": True, "rested": True}
ROLES = [Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.RECEPTION, Role.WELFARE, Role.LEADER, Role.VIEWER]


@pytest.fixture
def centre(db):
    return factories.make_centre()


@pytest.fixture
def staff(centre):
    return {role: factories.make_user(role, centre) for role in ROLES}


def close(centre, staff):
    return closing.close_centre(centre, confirm_name=centre.name, by=staff[Role.ADMIN])


def test_the_name_must_be_typed_exactly(centre, staff):
    with pytest.raises(closing.ClosingError):
        closing.close_centre(centre, confirm_name="別のセンター", by=staff[Role.ADMIN])
    centre.refresh_from_db()
    assert centre.status == Centre.Status.OPEN and centre.closed_on is None


@pytest.mark.parametrize("status", [Team.Status.DISPATCHED, Team.Status.ON_SITE])
def test_refused_while_a_team_is_in_the_field(centre, staff, status):
    Team.objects.create(centre=centre, date=centre.today(), number=1, status=status)
    with pytest.raises(closing.ClosingError, match="活動中の班"):
        close(centre, staff)
    centre.refresh_from_db()
    assert centre.status == Centre.Status.OPEN


def test_closing_cancels_future_bookings_and_mails_the_volunteers(centre, staff):
    tomorrow = centre.today() + timedelta(days=1)
    mailed = factories.make_volunteer(email="v1@example.jp")
    silent = factories.make_volunteer(email="")
    for volunteer in (mailed, silent):
        book(volunteer, centre, on=tomorrow)
    today_booking = Booking.objects.create(volunteer=factories.make_volunteer(), centre=centre, date=centre.today())
    close(centre, staff)
    centre.refresh_from_db()
    assert centre.status == Centre.Status.CLOSED and centre.closed_on == centre.today()
    assert not Booking.objects.open().filter(centre=centre, date__gt=centre.today()).exists()
    today_booking.refresh_from_db()
    assert today_booking.cancelled_at is None  # today's people are already on their way
    mails = OutboundMail.objects.filter(kind=OutboundMail.Kind.BOOKING_CANCELLED)
    assert [m.to for m in mails] == [["v1@example.jp"]]
    assert "閉所" in mails[0].subject and tomorrow.strftime("%Y/%m/%d") in mails[0].body
    entry = AuditEntry.objects.get(action="centre.closed", object_type="centres.centre")
    assert entry.user == staff[Role.ADMIN] and {"status", "closed_on"} <= set(entry.fields)
    event = Event.objects.filter(centre=centre).latest("seq")
    assert event.kind == "centre.closed" and event.public["centre"]["status"] == "closed"
    assert event.public["booked"] == {tomorrow.isoformat(): -2}  # the public board's places come back


def test_a_closed_centre_takes_no_registration_booking_or_check_in(centre, staff):
    volunteer = factories.make_volunteer()
    close(centre, staff)
    with pytest.raises(VolunteerError) as refused:
        book(volunteer, centre, on=centre.today() + timedelta(days=1))
    assert refused.value.code == "closed"
    with pytest.raises(VolunteerError) as refused:
        check_in(volunteer, centre, on=centre.today(), health=HEALTHY, insurance_confirmed=True)
    assert refused.value.code == "closed"
    with pytest.raises(VolunteerError) as refused:
        register_volunteer(name="新人", kana="シンジン", age_band="30s", prefecture="長野県", city="テスト市",
                           insurance="enrolled", centre=centre)
    assert refused.value.code == "closed"
    assert not Attendance.objects.filter(centre=centre).exists()


def test_staff_access_ends_but_the_administrators_and_the_reports(centre, staff):
    close(centre, staff)
    for role, user in staff.items():
        user = type(user).objects.get(pk=user.pk)  # a fresh request
        assert caps_of(user, centre) == AFTER_CLOSING.get(role, frozenset()), role
    admin = AFTER_CLOSING[Role.ADMIN]
    assert {Cap.NEEDS_PERSONAL, Cap.WELFARE, Cap.VIEW_AUDIT, Cap.MANAGE_CENTRE} <= admin
    assert not {Cap.EDIT_NEEDS, Cap.DISPATCH, Cap.SEND_REPORTS} & admin


def test_pages_after_closing(centre, staff):
    close(centre, staff)
    slug = {"centre": centre.slug}

    def get(role, name):
        client = Client()
        client.force_login(staff[role])
        return client.get(reverse(name, kwargs=slug)).status_code

    assert get(Role.COORDINATOR, "needs:list") == 403
    assert get(Role.RECEPTION, "volunteers:reception") == 403
    assert get(Role.INTAKE, "exports:index") == 403
    assert get(Role.VIEWER, "reports:today") == 200
    assert get(Role.LEADER, "boards:staff") == 403
    assert get(Role.ADMIN, "exports:index") == 200
    assert get(Role.ADMIN, "welfare:cases") == 200
    assert get(Role.ADMIN, "centre_audit") == 200


def test_the_page_says_when_personal_data_will_be_erased(centre, staff):
    client = Client()
    client.force_login(staff[Role.ADMIN])
    url = reverse("centre_close", kwargs={"centre": centre.slug})
    assert client.post(url, {"confirm_name": centre.name}).status_code == 302
    centre.refresh_from_db()
    due = centre.closed_on + timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    assert centre.erasure_due_on() == due
    page = client.get(url).content.decode()
    assert due.isoformat() in page and 'id="closed-notice"' in page


def test_the_close_page_refuses_a_wrong_name_with_400(centre, staff):
    client = Client()
    client.force_login(staff[Role.ADMIN])
    response = client.post(reverse("centre_close", kwargs={"centre": centre.slug}), {"confirm_name": "x"})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    centre.refresh_from_db()
    assert centre.status == Centre.Status.OPEN


def test_the_public_board_says_the_centre_has_closed(centre, staff):
    url = reverse("boards:public", kwargs={"centre": centre.slug})
    notice = "このセンターは閉所しました"
    Centre.objects.filter(pk=centre.pk).update(what_to_bring="長靴、軍手")
    bring = re.compile(r'<section class="pb-card pb-bring"[^>]* hidden>')
    page = Client().get(url).content.decode()
    assert notice in page and "data-closed-notice role=\"status\" hidden" in page
    assert "長靴、軍手" in page and not bring.search(page)
    close(centre, staff)
    page = Client().get(url).content.decode()
    assert notice in page and "data-closed-notice role=\"status\" hidden" not in page
    # What to bring no longer applies once closed (it showed before).
    assert bring.search(page), "what to bring still shown"


def test_reopening_gives_everything_back(centre, staff):
    close(centre, staff)
    client = Client()
    client.force_login(staff[Role.ADMIN])
    assert client.post(reverse("centre_reopen", kwargs={"centre": centre.slug})).status_code == 302
    centre.refresh_from_db()
    assert centre.status == Centre.Status.OPEN and centre.closed_on is None and centre.erasure_due_on() is None
    assert AuditEntry.objects.filter(action="centre.reopened", user=staff[Role.ADMIN]).exists()
    coordinator = type(staff[Role.COORDINATOR]).objects.get(pk=staff[Role.COORDINATOR].pk)
    assert caps_of(coordinator, centre) == MATRIX[Role.COORDINATOR]
    assert Event.objects.filter(centre=centre).latest("seq").kind == "centre.reopened"


# --- races: the close and a booking or check-in at the same moment -------------------------------------------

def _wait_for_a_lock_wait(outcome, timeout=30.0):
    """Until some other session waits on a row lock (the racing writer reached the centre's row)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            assert not outcome, f"the racing writer ended before reaching the centre's row: {outcome!r}"
            # PostgreSQL keeps one snapshot of pg_stat_activity per transaction, and this poll runs inside the
            # close's transaction: without clearing it, a racer slower than the first poll was never seen (CI).
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND datname = current_database()")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the racing writer never waited on the centre's row")


def _race(centre, staff, write):
    """`write` starts while the close holds the centre's row; the close commits; `write` then runs on."""
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
        Centre.objects.select_for_update().get(pk=centre.pk)  # the close's lock, taken first
        thread.start()
        _wait_for_a_lock_wait(outcome)
        close(centre, staff)
    thread.join(10)
    return outcome


@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_a_booking_racing_the_close_is_refused(centre, staff):
    if connection.vendor != "postgresql":
        pytest.skip("a race on PostgreSQL")
    volunteer = factories.make_volunteer()
    stale = Centre.objects.get(pk=centre.pk)  # the booking page read it open
    outcome = _race(centre, staff, lambda: book(volunteer, stale, on=stale.today() + timedelta(days=1)))
    assert isinstance(outcome.get("error"), VolunteerError) and outcome["error"].code == "closed", outcome
    assert not Booking.objects.filter(centre=centre).exists()


@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_a_check_in_racing_the_close_is_refused(centre, staff):
    if connection.vendor != "postgresql":
        pytest.skip("a race on PostgreSQL")
    volunteer = factories.make_volunteer()
    stale = Centre.objects.get(pk=centre.pk)  # the poster's page read it open
    outcome = _race(centre, staff, lambda: check_in(volunteer, stale, on=stale.today(), health=HEALTHY,
                                                     insurance_confirmed=True))
    assert isinstance(outcome.get("error"), VolunteerError) and outcome["error"].code == "closed", outcome
    assert not Attendance.objects.filter(centre=centre).exists()
    assert Event.objects.filter(centre=centre, kind="attendance.checked_in").count() == 0
