"""The due-sweep: after 08:00 on the centre's clock, one mail a day to each assignee with open cases due for a
check, listing case numbers and dates only; never twice (a repeated tick, two sweeps at once), never for a
closed centre or a case nobody is assigned."""
import itertools
from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ops.centres.models import Role
from ops.messages.models import OutboundMail
from ops.welfare.models import DueNotice
from ops.welfare.services import add_contact, open_case, update_case
from ops.welfare.services.due import DUE_NOTICE_TIME, send_due_notices, send_due_notices_of
from tests import factories
from tests.conftest import run_together

SECRET = "夜になると不安で眠れないと話していた"


def at(centre, clock: time, monkeypatch, days: int = 0):
    """Set the wall clock to `clock` on the centre's today (+ days)."""
    moment = datetime.combine(centre.today() + timedelta(days=days), clock, tzinfo=centre.tz)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment.date()


def notices():
    return list(OutboundMail.objects.filter(kind=OutboundMail.Kind.CASE_CHECKS).order_by("pk"))


_households = itertools.count(1000)


def due_case(centre, assignee, check_on, **need_kw):
    n = next(_households)  # each case its own household (one open case per household)
    need_kw.setdefault("phone", f"090-0000-{n}")
    need_kw.setdefault("requester_name", f"世帯{n}")
    need = factories.make_need(centre, **need_kw)
    case, _opened = open_case(need=need, source="staff", summary=SECRET)
    return update_case(case, by=assignee, assignee=assignee, next_check_on=check_on)


@pytest.fixture
def centre(db):
    return factories.make_centre()


@pytest.fixture
def welfare(centre):
    return factories.make_user(Role.WELFARE, centre, email="fukushi@example.jp")


@pytest.mark.django_db
def test_each_assignee_gets_one_mail_a_day_after_eight(centre, welfare, monkeypatch):
    today = at(centre, time(7, 59), monkeypatch)
    late = due_case(centre, welfare, today - timedelta(days=2), requester_name="見守り 太郎",
                    phone="090-7777-8888", address="テスト市川端1-2")
    now = due_case(centre, welfare, today)
    due_case(centre, welfare, today + timedelta(days=1))  # not due yet
    other = factories.make_user(Role.WELFARE, centre, email="other@example.jp")
    due_case(centre, other, today)
    assert send_due_notices() == 0  # before 08:00
    at(centre, DUE_NOTICE_TIME, monkeypatch)
    assert send_due_notices() == 2
    assert send_due_notices() == 0  # the next tick finds them claimed
    mails = {m.to[0]: m for m in notices()}
    assert sorted(mails) == ["fukushi@example.jp", "other@example.jp"]
    mail = mails["fukushi@example.jp"]
    assert late.label in mail.body and now.label in mail.body
    assert (today - timedelta(days=2)).isoformat() in mail.body and "期限超過" in mail.body
    assert settings.SITE_URL + reverse("welfare:cases", kwargs={"centre": centre.slug}) in mail.body
    for secret in ("見守り", "太郎", "7777", "川端", SECRET):
        assert secret not in mail.body and secret not in mail.subject
    notice = DueNotice.objects.get(user=welfare)
    assert (notice.day, notice.cases, notice.mail) == (today, 2, mail)


@pytest.mark.django_db
def test_the_next_day_mails_again(centre, welfare, monkeypatch):
    today = at(centre, time(9, 0), monkeypatch)
    due_case(centre, welfare, today)
    assert send_due_notices() == 1
    at(centre, time(9, 0), monkeypatch, days=1)
    assert send_due_notices() == 1
    assert sorted(DueNotice.objects.values_list("day", flat=True)) == [today, today + timedelta(days=1)]


@pytest.mark.django_db
def test_a_closed_centre_and_an_unassigned_case_mail_nobody(centre, welfare, monkeypatch):
    today = at(centre, time(10, 0), monkeypatch)
    case, _opened = open_case(need=factories.make_need(centre), source="staff")
    update_case(case, by=welfare, next_check_on=today - timedelta(days=1))  # nobody assigned
    assert send_due_notices() == 0 and not DueNotice.objects.exists()
    due_case(centre, welfare, today)
    centre.status = centre.Status.CLOSED
    centre.save()
    assert send_due_notices() == 0 and notices() == []


@pytest.mark.django_db
def test_a_checked_case_is_no_longer_due(centre, welfare, monkeypatch):
    today = at(centre, time(8, 30), monkeypatch)
    case = due_case(centre, welfare, today - timedelta(days=1))
    add_contact(case, by=welfare, method="phone", found="元気そう", next_check_on=today + timedelta(days=3))
    assert send_due_notices() == 0


@pytest.mark.django_db
def test_an_assignee_without_an_email_is_recorded_and_not_mailed(centre, monkeypatch):
    today = at(centre, time(8, 0), monkeypatch)
    nomail = factories.make_user(Role.WELFARE, centre)
    due_case(centre, nomail, today - timedelta(days=1))
    assert send_due_notices() == 0
    notice = DueNotice.objects.get()
    assert (notice.user, notice.mail, notice.cases) == (nomail, None, 1)
    assert notices() == []
    assert send_due_notices() == 0 and DueNotice.objects.count() == 1


@pytest.mark.django_db
def test_the_outbox_shows_the_case_checks_to_welfare_staff_only(client, centre, welfare, monkeypatch):
    today = at(centre, time(8, 0), monkeypatch)
    due_case(centre, welfare, today)
    send_due_notices()
    [mail] = notices()
    url = reverse("outbox:list", kwargs={"centre": centre.slug})
    detail = reverse("outbox:mail", kwargs={"centre": centre.slug, "pk": mail.pk})
    client.force_login(welfare)
    assert mail.subject in client.get(url).content.decode()
    assert client.get(detail).status_code == 200
    for role in (Role.COORDINATOR, Role.RECEPTION, Role.INTAKE, Role.VIEWER):
        client.force_login(factories.make_user(role, centre))
        page = client.get(url)
        assert page.status_code in (200, 403), role
        assert mail.subject not in page.content.decode() and mail.body not in page.content.decode(), role
        assert client.get(detail).status_code in (403, 404), role


@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_mail_each_assignee_once(centre, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the claim's unique row is raced on PostgreSQL (make test)")
    today = at(centre, time(8, 10), monkeypatch)
    staff = [factories.make_user(Role.WELFARE, centre, email=f"w{i}@example.jp") for i in range(6)]
    for user in staff:
        due_case(centre, user, today)
        due_case(centre, user, today - timedelta(days=1))
    results, errors = run_together(8, lambda i: send_due_notices_of(centre))
    assert errors == [None] * 8
    assert sum(results) == 6
    assert sorted(m.to[0] for m in notices()) == sorted(u.email for u in staff)
    assert DueNotice.objects.count() == 6
    assert all(n.mail_id is not None and n.cases == 2 for n in DueNotice.objects.all())


@pytest.mark.django_db
def test_an_assignee_no_longer_on_the_welfare_staff_is_not_mailed(centre, welfare, monkeypatch):
    today = at(centre, time(9, 0), monkeypatch)
    due_case(centre, welfare, today)
    welfare.memberships.filter(centre=centre).update(role=Role.COORDINATOR)  # moved to the map board
    assert send_due_notices() == 0 and notices() == []
