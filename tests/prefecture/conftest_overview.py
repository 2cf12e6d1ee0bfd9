"""Fixtures of the prefecture's own pages: a disaster of two open centres with check-ins, tomorrow's bookings and
needs of every open status (a resident's name, phone, address and notes that must never reach these pages),
its prefecture staff member, a centre's staff member, another disaster's prefecture staff and a superuser."""
from dataclasses import dataclass
from datetime import timedelta

import pytest

from ops.centres.models import Centre, Role
from ops.needs.models import NeedStatus
from ops.prefecture.models import PrefectureMembership
from ops.volunteers.models import Booking
from tests.factories import make_attendance, make_centre, make_disaster, make_need, make_user, make_volunteer

S = NeedStatus
# What a resident told the centre: none of it on a prefecture page or in its JSON.
RESIDENT = {"requester_name": "県秘密 住民子", "requester_kana": "ケンヒミツ ジュウミンコ", "phone": "090-9191-2828",
            "address": "テスト市隠れ町9-9-9", "notes": "県域に見せない備考", "description": "県域に見せない依頼内容"}
RESIDENT_SECRETS = ("県秘密", "9191-2828", "隠れ町9-9-9", "県域に見せない", "ケンヒミツ")
# Where one household is, to the metre: no answer may hold it finer than 3 decimals.
EXACT = {"lat": 36.612345, "lng": 138.212345}


@dataclass
class Pref:
    disaster: object
    a: Centre
    b: Centre
    member: object  # 県域スタッフ of this disaster
    centre_staff: object  # a coordinator at centre a, no prefecture role
    elsewhere: object  # 県域スタッフ of another disaster
    admin: object  # an installation administrator (superuser)
    needs: list


def seed(centre, statuses, *, district, lat=None, lng=None, work=("mud",)):
    made = []
    for i, status in enumerate(statuses):
        made.append(make_need(centre, status=status, district=district, work_types=list(work),
                              lat=(lat or centre.lat) + 0.0001 * i, lng=(lng or centre.lng) + 0.0001 * i, **RESIDENT))
    return made


@pytest.fixture
def pref(db):
    disaster = make_disaster(name="令和8年県域豪雨")
    a = make_centre(disaster=disaster, name="甲市災害ボランティアセンター", daily_capacity=30)
    b = make_centre(disaster=disaster, name="乙町災害ボランティアセンター", daily_capacity=20, lat=36.70, lng=138.30)
    today, tomorrow = a.today(), a.today() + timedelta(days=1)
    for _ in range(3):
        make_attendance(a, date=today)
    make_attendance(b, date=today, head_count=4)  # a group of four: four people, one row
    for centre, n in ((a, 2), (b, 1)):
        for _ in range(n):
            Booking.objects.create(volunteer=make_volunteer(), centre=centre, date=tomorrow)
    needs = [
        *seed(a, [S.NEW, S.READY, S.ASSIGNED, S.ON_HOLD], district="北町", lat=EXACT["lat"], lng=EXACT["lng"]),
        *seed(a, [S.COMPLETED, S.CANCELLED], district="北町"),
        *seed(a, [S.IN_PROGRESS], district="一軒だけ", work=("debris",)),
        *seed(b, [S.SURVEYED, S.CONTINUING, S.READY], district="南町", work=("mud", "debris")),
    ]
    member = make_user(first_name="県職員")
    PrefectureMembership.objects.create(user=member, disaster=disaster)
    elsewhere = make_user()
    PrefectureMembership.objects.create(user=elsewhere, disaster=make_disaster(name="別の災害"))
    return Pref(disaster=disaster, a=a, b=b, member=member, centre_staff=make_user(Role.COORDINATOR, a),
                elsewhere=elsewhere, admin=make_user(is_superuser=True, is_staff=True), needs=needs)


@pytest.fixture
def as_member(client, pref):
    client.force_login(pref.member)
    return client
