"""募集のお知らせ: who a call reaches (scope, weekdays, wish, address, erased, booked), the page (preview count,
send once, past calls with their mails' states), and the fan-out in batches that never mails anyone twice."""
import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.centres.models import Centre, Role
from ops.messages.models import OutboundMail
from ops.volunteers.mailing import stop_calls
from ops.volunteers.models import RecruitmentCall
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import book
from ops.volunteers.services.calls import fan_out, make_call, recipients, set_call_preferences
from tests import factories
from tests.conftest import run_together


@pytest.fixture
def centre(db):
    return factories.make_centre(recruitment_scope=Centre.Scope.PREFECTURE, what_to_bring="長靴")


def day_of_week(centre, weekday: int):
    """The first coming bookable day that falls on `weekday` (0 = Monday)."""
    day = centre.today() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


_n = itertools.count(1)


def registered(centre, **kw):
    kw.setdefault("email", f"v{next(_n)}@example.jp")
    return factories.make_volunteer(registered_centre=centre, **kw)


@pytest.mark.django_db
def test_who_a_call_reaches(centre):
    saturday, sunday = day_of_week(centre, 5), day_of_week(centre, 6)
    sister = factories.make_centre(disaster=centre.disaster)
    other_disaster = factories.make_centre()
    reached = [registered(centre), registered(centre, available_weekdays=[5]), registered(sister),
               registered(centre, available_weekdays=[0, 6])]
    booked_one_day = registered(centre)
    book(booked_one_day, centre, on=saturday)
    reached.append(booked_one_day)
    booked_both = registered(centre)
    book(booked_both, centre, on=saturday)
    book(booked_both, centre, on=sunday)
    registered(centre, email="")  # no address
    registered(centre, wants_calls=False)
    registered(centre, personal_data_erased_at=timezone.now())
    registered(centre, prefecture="新潟県", city="新潟市")  # outside the scope
    registered(centre, available_weekdays=[0, 1, 2])  # weekdays only
    registered(other_disaster)
    assert recipients(centre, [saturday, sunday]) == sorted(v.pk for v in reached)
    assert set(recipients(centre, [saturday])) == {v.pk for v in reached[:3]}


@pytest.mark.django_db
def test_a_stopped_volunteer_is_not_in_the_next_call(centre):
    saturday = day_of_week(centre, 5)
    volunteer = registered(centre)
    assert recipients(centre, [saturday]) == [volunteer.pk]
    stop_calls(volunteer)
    assert recipients(centre, [saturday]) == []
    set_call_preferences(volunteer, wants_calls=True, available_weekdays=[6])
    assert recipients(centre, [saturday]) == []
    assert recipients(centre, [day_of_week(centre, 6)]) == [volunteer.pk]


@pytest.mark.django_db
def test_the_fan_out_mails_each_once_in_batches_with_the_stop_link(centre, django_capture_on_commit_callbacks):
    saturday = day_of_week(centre, 5)
    people = [registered(centre) for _ in range(7)]
    call, created = make_call(centre, days=[saturday], message="土曜日の泥出しに人手が必要です。",
                              by=factories.make_user(), nonce="n1")
    assert created and call.recipients_count == 7
    assert fan_out(call.pk, batch=3) == 7
    assert fan_out(call.pk, batch=3) == 0  # a task run twice
    mails = list(OutboundMail.objects.filter(kind=OutboundMail.Kind.RECRUITMENT_CALL))
    assert sorted(m.to[0] for m in mails) == sorted(v.email for v in people)
    mail = next(m for m in mails if m.to == [people[0].email])
    assert mail.state == "queued" and mail.triggered_by == f"recruitment_call:{call.pk}"
    assert "土曜日の泥出し" in mail.body and "長靴" in mail.body and f"/v/{people[0].token}/" in mail.body
    assert "/m/stop/" in mail.body and mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "ボランティア募集のお知らせ" in mail.subject
    call.refresh_from_db()
    assert call.queued_count == 7 and call.queued_at is not None


@pytest.mark.django_db
def test_a_fan_out_stopped_halfway_carries_on_where_it_stopped(centre):
    saturday = day_of_week(centre, 5)
    [registered(centre) for _ in range(5)]
    call, _ = make_call(centre, days=[saturday], message="お願いします", by=None, nonce="n2")
    ids = recipients(centre, [saturday])
    from ops.volunteers.services.calls import queue_batch

    queue_batch(call.pk, ids[:2])
    assert fan_out(call.pk) == 3
    assert OutboundMail.objects.filter(kind=OutboundMail.Kind.RECRUITMENT_CALL).count() == 5


@pytest.mark.django_db
def test_a_call_needs_coming_days_and_a_message(centre):
    with pytest.raises(VolunteerError):
        make_call(centre, days=[], message="x", by=None, nonce="a")
    with pytest.raises(VolunteerError):
        make_call(centre, days=[centre.today()], message="x", by=None, nonce="b")
    with pytest.raises(VolunteerError):
        make_call(centre, days=[day_of_week(centre, 5)], message="  ", by=None, nonce="c")
    assert not RecruitmentCall.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_double_click_sends_one_call(centre):
    saturday = day_of_week(centre, 5)
    registered(centre)
    results, errors = run_together(4, lambda i: make_call(centre, days=[saturday], message="お願いします",
                                                           by=None, nonce="same-form"))
    assert errors == [None] * 4
    assert sum(created for _call, created in results) == 1
    assert RecruitmentCall.objects.count() == 1


@pytest.mark.django_db
def test_the_page_previews_the_count_sends_once_and_lists_past_calls(client_as, centre, eager,
                                                                     django_capture_on_commit_callbacks):
    saturday = day_of_week(centre, 5)
    [registered(centre) for _ in range(3)]
    client = client_as(Role.ADMIN)
    page = client.get(f"/c/{centre.slug}/volunteers/calls/")
    assert page.status_code == 200
    nonce = page.context["form"].initial["nonce"]
    form = {"days": [saturday.isoformat()], "message": "人手が足りません", "nonce": nonce}
    preview = client.post(f"/c/{centre.slug}/volunteers/calls/", {**form, "action": "preview"})
    assert preview.context["reach"] == 3 and "3人に届きます" in preview.content.decode()
    assert not RecruitmentCall.objects.exists()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(f"/c/{centre.slug}/volunteers/calls/", {**form, "action": "send"})
        assert sent.status_code == 302
    [call] = RecruitmentCall.objects.all()
    assert call.recipients_count == 3 and call.by == client.user
    assert OutboundMail.objects.filter(kind=OutboundMail.Kind.RECRUITMENT_CALL, state="sent").count() == 3
    [row] = client.get(f"/c/{centre.slug}/volunteers/calls/").context["rows"]
    assert (row["call"].pk, row["sent"], row["waiting"], row["failed"]) == (call.pk, 3, 0, 0)


@pytest.mark.django_db
def test_a_form_with_a_past_day_or_no_day_says_so(client_as, centre):
    client = client_as(Role.ADMIN)
    page = client.post(f"/c/{centre.slug}/volunteers/calls/",
                       {"days": [centre.today().isoformat()], "message": "x", "nonce": "z", "action": "send"})
    assert page.status_code == 200 and page.context["form"].errors["days"]
    page = client.post(f"/c/{centre.slug}/volunteers/calls/", {"message": "x", "nonce": "z", "action": "send"})
    assert page.status_code == 200 and page.context["form"].errors["days"]
    assert not RecruitmentCall.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.RECEPTION])
def test_only_the_centres_administrators_send_calls(client_as, centre, role):
    assert client_as(role).get(f"/c/{centre.slug}/volunteers/calls/").status_code == 403
