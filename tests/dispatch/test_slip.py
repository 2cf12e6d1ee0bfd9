"""The leader's slip link: no account, shows the site and the resident's phone, takes the return report,
and dies once the report is filed or the day is over (410 with a clear message)."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ops.dispatch.models import Dispatch, ReturnReport
from ops.dispatch.services import dispatch
from ops.needs.models import NeedStatus
from tests.dispatch.conftest import make_ready_need, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(centre):
    need = make_ready_need(centre, phone="090-1111-2222", address="テスト市中央3-4-5", hazards="裏の斜面に近づかない",
                           lat=36.65123, lng=138.18456)
    return dispatch(make_team(centre, 3), need)


def slip_url(record):
    return reverse("dispatch:slip", kwargs={"token": record.slip_token})


def test_the_slip_opens_without_an_account_and_shows_what_the_leader_needs(client, record):
    response = client.get(slip_url(record))
    page = response.content.decode()
    assert response.status_code == 200
    assert "テスト市中央3-4-5" in page
    assert 'href="tel:090-1111-2222"' in page
    assert "geo:36.651230,138.184560" in page
    assert "maps.gsi.go.jp" in page
    assert "裏の斜面に近づかない" in page
    assert timezone.localtime(record.expected_return_at).strftime("%H:%M") in page
    assert "出発前チェック" in page
    assert response["Cache-Control"].startswith("no-store")
    assert response["Referrer-Policy"] == "same-origin"  # never no-referrer: Origin: null fails CSRF
    assert 'rel="noreferrer noopener"' in page


def test_the_resident_phone_is_not_in_the_staff_feed_or_events(coordinator_client, record, centre):
    from ops.centres.models import Event

    feed = coordinator_client.get(reverse("mapping:needs_geojson", kwargs={"centre": centre.slug}))
    assert "1111-2222" not in feed.content.decode()
    assert all("1111-2222" not in str(e.payload) for e in Event.objects.all())


def test_the_work_rest_cycle_is_for_june_to_september():
    from datetime import date

    from ops.dispatch.safety import work_rest_note

    assert [bool(work_rest_note(date(2026, m, 15))) for m in range(1, 13)] == [
        False, False, False, False, False, True, True, True, True, False, False, False]


def test_the_slip_shows_the_work_rest_cycle_when_it_is_hot(client, record):
    page = client.get(slip_url(record)).content.decode()
    assert ("20分作業したら10分休憩" in page) is (record.date.month in (6, 7, 8, 9))


def test_the_leader_files_the_return_report_and_the_link_dies(client, record):
    response = client.post(slip_url(record), {"outcome": "completed", "people": 3, "hours": "3.5",
                                              "work_done": "泥出し完了", "injuries": 0, "heat_illness": 0})
    assert response.status_code == 200
    assert "受け付けました" in response.content.decode()
    report = ReturnReport.objects.get(dispatch=record)
    assert report.filed_via == "leader" and report.filed_by is None
    record.need.refresh_from_db()
    assert record.need.status == NeedStatus.COMPLETED

    again = client.get(slip_url(record))
    assert again.status_code == 410
    assert "提出済み" in again.content.decode()
    assert "090-1111-2222" not in again.content.decode()
    assert client.get(reverse("dispatch:slip_print", kwargs={"token": record.slip_token})).status_code == 410
    assert client.post(slip_url(record), {"outcome": "continue", "people": 1, "hours": 1}).status_code == 410


def test_the_link_dies_at_the_end_of_the_day(client, record):
    Dispatch.objects.filter(pk=record.pk).update(date=record.date - timedelta(days=1))
    response = client.get(slip_url(record))
    assert response.status_code == 410
    assert "有効期限" in response.content.decode()
    assert "090-1111-2222" not in response.content.decode()


def test_a_bad_report_shows_the_form_again(client, record):
    response = client.post(slip_url(record), {"outcome": "completed", "people": 30, "hours": "3"})
    assert response.status_code == 400
    assert not ReturnReport.objects.exists()
    assert client.get(slip_url(record)).status_code == 200


def test_an_unknown_token_is_404(client, db):
    assert client.get(reverse("dispatch:slip", kwargs={"token": "nope"})).status_code == 404


def test_the_printable_slip_has_a_qr_code_of_the_link(client, record):
    response = client.get(reverse("dispatch:slip_print", kwargs={"token": record.slip_token}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and 'class="segno"' in page
    assert "090-1111-2222" in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # CSP: no inline styles


def test_the_qr_code_encodes_the_slip_url(record, settings):
    import segno

    from ops.dispatch.slip import _context

    url = _context(record)["slip_url"]
    assert url == settings.SITE_URL + f"/s/{record.slip_token}/"
    assert segno.make(url, error="m").designator  # encodable at the size we print


def test_the_leader_marks_arrival_and_the_need_is_in_progress(client, record):
    from ops.centres.models import Event
    from ops.dispatch.models import Team

    response = client.post(slip_url(record), {"action": "arrived"})
    assert response.status_code == 302 and response.url == slip_url(record)
    record.team.refresh_from_db()
    record.need.refresh_from_db()
    assert record.team.status == Team.Status.ON_SITE
    assert record.need.status == NeedStatus.IN_PROGRESS
    assert Event.objects.filter(kind="dispatch.arrived").count() == 1
    # a second tap changes nothing
    client.post(slip_url(record), {"action": "arrived"})
    assert Event.objects.filter(kind="dispatch.arrived").count() == 1
    assert "現地で活動中" in client.get(slip_url(record)).content.decode()

    client.post(slip_url(record), {"outcome": "completed", "people": 3, "hours": "2"})
    record.need.refresh_from_db()
    assert record.need.status == NeedStatus.COMPLETED
    assert [h.to_status for h in record.need.history.all()] == ["assigned", "in_progress", "completed"]


def test_the_leader_cannot_tick_tools_back_and_the_filed_page_says_what_is_still_lent(client, record, centre):
    from ops.dispatch.models import EquipmentKind, EquipmentLoan
    from ops.dispatch.services import lend_tools

    lend_tools(team=record.team, kind=EquipmentKind.objects.create(centre=centre, name="スコップ", total=10),
               quantity=3)
    assert 'name="tools_returned"' not in client.get(slip_url(record)).content.decode()
    response = client.post(slip_url(record), {"outcome": "completed", "people": 3, "hours": "2",
                                              "tools_returned": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert EquipmentLoan.objects.get().returned_at is None
    assert "スコップ" in page and "3" in page.split("スコップ", 1)[1][:20]
    assert "資機材受付" in page


def test_the_filed_page_says_nothing_is_lent_when_nothing_was(client, record):
    page = client.post(slip_url(record), {"outcome": "completed", "people": 3, "hours": "2"}).content.decode()
    assert "返却する資機材はありません" in page


def test_the_slip_lists_the_team_its_leader_and_the_tools_lent(client, centre):
    from ops.dispatch.models import EquipmentKind
    from ops.dispatch.services import form_team, lend_tools
    from tests import factories

    names = ["佐藤 健", "森 彩", "伊藤 唯"]
    members = [factories.make_attendance(centre, factories.make_volunteer(name=n, phone=f"080-5555-000{i}"),
                                         date=centre.today()) for i, n in enumerate(names)]
    team = form_team(centre=centre, on=centre.today(), members=members, leader=members[1])
    lend_tools(team=team, kind=EquipmentKind.objects.create(centre=centre, name="一輪車", total=5), quantity=2)
    record = dispatch(team, make_ready_need(centre))
    for name in ("dispatch:slip", "dispatch:slip_print"):
        page = client.get(reverse(name, kwargs={"token": record.slip_token})).content.decode()
        crew = page.split('class="crew"', 1)[1].split("</dd>", 1)[0]
        assert all(n in crew for n in names), name
        leader_line = next(line for line in crew.split("<li") if "リーダー" in line)
        assert "森 彩" in leader_line and "佐藤 健" not in leader_line, name
        tools = page.split('class="slip-tools"', 1)[1].split("</dd>", 1)[0]  # every tool the team took
        assert "一輪車" in tools and "2" in tools, name
        assert "080-5555" not in page, name  # names only: no volunteer's phone
