"""団体登録: the leader registers the group, its head count and contact, and checks it in as one."""
import pytest

from ops.volunteers.models import Attendance, Booking, Group
from ops.volunteers.services import check_in, register_group
from tests.volunteers.conftest import CHECKIN_FORM, HEALTHY, events

pytestmark = pytest.mark.django_db


def _group(centre, **kw):
    data = {"centre": centre, "name": "株式会社テスト建設", "leader_name": "佐藤 一郎", "leader_kana": "サトウ イチロウ",
                "phone": "090-1111-2222", "email": "sato@example.jp", "member_count": 15, "age_band": "40s",
                "prefecture": "長野県", "city": "長野市"}
    data.update(kw)
    return register_group(**data)


def test_group_registration_makes_the_leader_a_volunteer(centre):
    group = _group(centre)
    assert group.leader.group == group and group.leader.is_group_leader
    assert group.centre == centre and group.member_count == 15


def test_group_books_a_day_for_everyone(centre, tomorrow):
    group = _group(centre, on=tomorrow)
    booking = Booking.objects.get()
    assert booking.volunteer == group.leader and booking.head_count == 15 and booking.date == tomorrow


def test_group_larger_than_the_places_left_is_refused_and_nothing_saved(centre, tomorrow):
    from ops.volunteers.rules import VolunteerError

    centre.daily_capacity = 10
    centre.save()
    with pytest.raises(VolunteerError):
        _group(centre, on=tomorrow)
    assert not Group.objects.exists() and not Booking.objects.exists()


def test_leader_checks_the_group_in_with_its_head_count(centre, today):
    group = _group(centre)
    attendance = check_in(group.leader, centre, on=today, health=HEALTHY, insurance_confirmed=True, head_count=12)
    assert attendance.head_count == 12
    [event] = events(centre, "attendance.checked_in")
    assert event.public == {"volunteers_today": 12}
    assert event.payload["attendance"]["head_count"] == 12


def test_leader_checks_the_group_in_from_the_phone(client, centre, code):
    group = _group(centre)
    client.get(f"/v/{group.leader.token}/")
    page = client.get(f"/p/{centre.slug}/checkin/{code}/").content.decode()
    assert "本日の参加人数" in page
    client.post(f"/p/{centre.slug}/checkin/{code}/", {**CHECKIN_FORM, "head_count": "9"})
    assert Attendance.objects.get().head_count == 9


def test_group_form_on_the_phone(client, centre, tomorrow):
    response = client.post(f"/p/{centre.slug}/volunteers/group/", {
        "name": "テスト高校", "leader_name": "高橋 先生", "leader_kana": "タカハシ センセイ", "phone": "090-5555-6666",
        "member_count": "20", "age_band": "50s", "prefecture": "長野県", "city": "上田市",
        "date": tomorrow.isoformat(), "insured": "on", "privacy": "on",
    }, follow=True)
    group = Group.objects.get()
    assert response.redirect_chain[-1][0] == f"/g/{group.token}/"
    assert f"/v/{group.leader.token}/" in response.content.decode()
    assert Booking.objects.get().head_count == 20
