"""Reception: only staff with Cap.RECEPTION; search, one-click check-in, walk-ins, counts, roster, poster."""
import pytest
from django.utils import timezone

from ops.centres.models import AuditEntry, Role
from ops.volunteers.models import Attendance, Volunteer
from ops.volunteers.services import register_volunteer
from tests import factories
from tests.searching import search
from tests.volunteers.conftest import details, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(centre):
    """Registered at this centre: the desk opens the volunteers its centre knows, and those it meets by a
    whole phone number or their QR (tests/security/test_reception_reach.py)."""
    return factories.make_volunteer(registered_centre=centre)


def url(centre, name=""):
    return f"/c/{centre.slug}/volunteers/{name}"


def test_anonymous_goes_to_login(client, centre):
    response = client.get(url(centre, "reception/"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("role", [Role.VIEWER, Role.INTAKE, Role.LEADER])
def test_roles_without_reception_are_refused(client_as, centre, role):
    c = client_as(role)
    for page in ("reception/", "roster/", "poster/", "walk-in/", "reception/counts.json"):
        assert c.get(url(centre, page)).status_code == 403


def test_staff_of_another_centre_are_refused(client, centre, other_centre):
    client.force_login(factories.make_user(Role.RECEPTION, other_centre))
    assert client.get(url(centre, "reception/")).status_code == 403


def test_staff_check_in_needs_reception(client_as, centre, volunteer):
    c = client_as(Role.VIEWER)
    assert c.post(url(centre, f"{volunteer.pk}/check-in/"), {"health_checked": "on"}).status_code == 403
    assert not Attendance.objects.exists()


def test_menu_links_reception(reception_client, centre):
    response = reception_client.get(f"/c/{centre.slug}/")
    assert response.status_code == 302 and response.url == url(centre, "reception/")


@pytest.mark.parametrize("query", ["山田", "ヤマダ", "やまだ たろう", "5678", "090-1234-5678", "09012345678"])
def test_search_by_name_kana_or_phone(reception_client, centre, query):
    register_volunteer(centre=centre, **details())
    register_volunteer(centre=centre, **details(name="佐藤 花子", kana="サトウ ハナコ", phone="080-2222-3333"))
    body = search(reception_client, url(centre, "reception/"), query).content.decode()
    assert "山田 太郎" in body
    assert "佐藤 花子" not in body


def test_a_scanned_personal_qr_opens_the_volunteer(reception_client, centre, volunteer):
    response = search(reception_client, url(centre, "reception/"), f"http://x/v/{volunteer.token}/")
    assert response.redirect_chain[-1][0] == url(centre, f"{volunteer.pk}/")


def test_name_search_does_not_reach_another_centres_volunteers(reception_client, centre, other_centre):
    register_volunteer(centre=other_centre, **details())
    body = search(reception_client, url(centre, "reception/"), "山田").content.decode()
    assert "山田 太郎" not in body
    # ...but the whole phone number of the person at the desk finds them
    body = search(reception_client, url(centre, "reception/"), "090-1234-5678").content.decode()
    assert "山田 太郎" in body


def test_one_click_check_in(reception_client, centre, volunteer):
    response = reception_client.post(url(centre, f"{volunteer.pk}/check-in/"),
                                     {"health_checked": "on", "insurance_confirmed": "on"}, follow=True)
    assert "を受付しました" in response.content.decode()
    attendance = Attendance.objects.get()
    assert attendance.via == "staff"
    assert AuditEntry.objects.filter(action="attendance.check_in", object_id=str(attendance.pk),
                                     user=reception_client.user).exists()
    again = reception_client.post(url(centre, f"{volunteer.pk}/check-in/"),
                                  {"health_checked": "on", "insurance_confirmed": "on"}, follow=True)
    assert "受付済みです" in again.content.decode()
    assert Attendance.objects.count() == 1


def test_staff_check_in_without_health_check_is_refused(reception_client, centre, volunteer):
    response = reception_client.post(url(centre, f"{volunteer.pk}/check-in/"), {"insurance_confirmed": "on"},
                                     follow=True)
    assert "体調がすぐれない方" in response.content.decode()
    assert not Attendance.objects.exists()


def test_walk_in_without_phone_is_registered_and_checked_in(reception_client, centre):
    data = form_data(phone="", emergency_name="", emergency_phone="")
    data["check_in_now"] = "on"
    response = reception_client.post(url(centre, "walk-in/"), data)
    volunteer = Volunteer.objects.get()
    assert response.status_code == 302 and response.url == url(centre, f"{volunteer.pk}/")
    assert volunteer.phone == "" and volunteer.registered_centre == centre
    assert Attendance.objects.get().via == "staff"


def test_counts_for_the_live_reception_page(reception_client, centre):
    for _ in range(3):
        factories.make_attendance(centre)
    factories.make_attendance(centre, checked_out_at=timezone.now())
    data = reception_client.get(url(centre, "reception/counts.json")).json()
    assert data["checked_in"] == 4 and data["in"] == 3 and data["out"] == 1
    assert data["left"] == centre.daily_capacity - 4


def test_roster_shows_in_out_and_not_yet_back(reception_client, centre):
    from ops.dispatch.models import Team

    today = timezone.localdate()
    at_centre = factories.make_attendance(centre, factories.make_volunteer(name="在所 一郎"))
    done = factories.make_attendance(centre, factories.make_volunteer(name="終了 二郎"), checked_out_at=timezone.now())
    team = Team.objects.create(centre=centre, date=today, number=1, status=Team.Status.DISPATCHED)
    away = factories.make_attendance(centre, factories.make_volunteer(name="派遣 三郎"), team=team)
    response = reception_client.get(url(centre, "roster/"))
    rows = {row.attendance.pk: row.status for row in response.context["rows"]}
    assert rows == {at_centre.pk: "in", done.pk: "out", away.pk: "away"}
    body = response.content.decode()
    assert "未帰着" in body and "派遣 三郎" in body


def test_staff_check_out_from_the_roster(reception_client, centre):
    attendance = factories.make_attendance(centre)
    reception_client.post(url(centre, f"attendance/{attendance.pk}/check-out/"))
    attendance.refresh_from_db()
    assert attendance.checked_out_at is not None and attendance.hours is not None


def test_poster_shows_todays_code_as_a_qr(reception_client, centre):
    from ops.volunteers import codes

    response = reception_client.get(url(centre, "poster/"))
    body = response.content.decode()
    assert response.status_code == 200
    assert codes.daily_code(centre, centre.today()) in body
    assert "<svg" in body


def test_groups_and_bookings_lists(reception_client, centre, tomorrow):
    from ops.volunteers.services import book, register_group

    group = register_group(centre=centre, name="テスト大学ボランティア部", leader_name="鈴木 健", leader_kana="スズキ ケン",
                           phone="090-3333-4444", member_count=12, age_band="20s", prefecture="長野県", city="松本市",
                           on=tomorrow)
    book(factories.make_volunteer(name="予約 花子"), centre, on=tomorrow)
    assert group.name in reception_client.get(url(centre, "groups/")).content.decode()
    body = reception_client.get(url(centre, "bookings/")).content.decode()
    assert "鈴木 健" in body and "予約 花子" in body and "12" in body


def test_receptionist_scanning_a_personal_qr_gets_the_card_not_the_volunteers_session(reception_client, centre,
                                                                                        volunteer):
    response = reception_client.get(f"/v/{volunteer.token}/")
    assert response.status_code == 302 and response.url == url(centre, f"{volunteer.pk}/")
    assert "dvc_volunteer" not in response.cookies


def test_card_shows_personal_details_to_reception(reception_client, centre, volunteer):
    body = reception_client.get(url(centre, f"{volunteer.pk}/")).content.decode()
    assert volunteer.phone in body and volunteer.name in body
