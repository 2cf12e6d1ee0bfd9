"""The demo's prefecture level (ops.prefecture), played through the services as the prefecture's staff and
the volunteers' phones would: a second centre of the disaster (デモ南町) with a few needs, the 県社協's login
`pref`, two offerings for the day after tomorrow (one each centre), a bus from the hub city to デモ南町, 60
volunteers registered once at the prefecture's registration point applying, and デモ南町's offering allocated
by a draw (oversubscribed), デモ市's still open. Idempotent: it is played once, when the second centre is made.
"""
from __future__ import annotations

import random
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model

from ops.centres.models import Base, Centre, Membership, Role
from ops.needs.services.intake import record_need
from ops.prefecture.models import Offering, PrefectureMembership
from ops.prefecture.services.allocation import allocate
from ops.prefecture.services.buses import add_bus
from ops.prefecture.services.offerings import apply, open_offering
from ops.volunteers.services.registration import register_volunteer

PREFECTURE_LOGIN = ("pref", "県社協 災害担当")
SECOND_CENTRE = {
    "slug": "demo-minami", "name": "デモ南町災害ボランティアセンター", "municipality": "デモ南町", "prefecture": "長野県",
    "address": "長野県デモ南町本町2-1 南町公民館", "phone": "026-000-0100", "lat": 36.6050, "lng": 138.1530,
    "daily_capacity": 120, "recruitment_scope": Centre.Scope.PREFECTURE,
    "what_to_bring": "長靴、厚手のゴム手袋、マスク、タオル、飲み物、昼食",
}
MINAMI_NEEDS = [  # district, work types, people, offset of the pin
    ("本町", ["mud"], 4, (0.002, 0.001)), ("本町", ["furniture", "mud"], 6, (0.003, -0.002)),
    ("本町", ["cleaning"], 3, (-0.001, 0.002)), ("川端", ["mud"], 5, (-0.006, 0.004)),
    ("川端", ["mud", "furniture"], 8, (-0.007, 0.006)), ("川端", ["furniture"], 4, (-0.005, 0.003)),
    ("新田", ["mud"], 3, (0.008, 0.009)),
]
CITIES = ["長野市", "松本市", "上田市", "岡谷市", "飯田市", "諏訪市", "須坂市", "小諸市", "伊那市", "千曲市"]


def seed_prefecture(centre: Centre, today: date) -> Centre | None:
    """The second centre and the prefecture's day (None when it was played before)."""
    if Centre.objects.filter(slug=SECOND_CENTRE["slug"]).exists():
        return None
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    minami = Centre.objects.create(disaster=centre.disaster, status=Centre.Status.OPEN, opened_on=today,
                                   council=centre.council, **SECOND_CENTRE)
    Base.objects.create(centre=minami, name="本部", kind=Base.Kind.HQ, lat=minami.lat, lng=minami.lng,
                        address=minami.address)
    if admin is not None:
        Membership.objects.get_or_create(user=admin, centre=minami, role=Role.ADMIN)
    for n, (district, work, people, (dlat, dlng)) in enumerate(MINAMI_NEEDS, start=1):
        record_need(centre=minami, by=admin, channel="phone", requester_name=f"南町 住民{n}",
                    requester_kana=f"ミナミマチ ジュウミン{n}", phone=f"026-000-{2000 + n:04d}",
                    address=f"長野県デモ南町{district}{n}-{n + 2}", district=district, lat=minami.lat + dlat,
                    lng=minami.lng + dlng, work_types=work, people_needed=people,
                    description="床上浸水。泥のかき出しと家財の運び出し。")
    username, full_name = PREFECTURE_LOGIN
    pref = User.objects.filter(username=username).first()
    if pref is None:
        from ops.centres.demo import DEMO_PASSWORD

        last, first = full_name.split(" ")
        pref = User.objects.create_user(username=username, password=DEMO_PASSWORD, last_name=last, first_name=first,
                                        email=f"{username}@demo.example.jp")
    PrefectureMembership.objects.get_or_create(user=pref, disaster=centre.disaster)
    day = today + timedelta(days=2)
    here = open_offering(centre, on=day, places_n=40, method=Offering.Method.FIRST_COME, by=pref,
                         note="デモ市の北地区・川沿い地区での泥出し")
    there = open_offering(minami, on=day, places_n=20, method=Offering.Method.DRAW, by=pref,
                          note="南町の川端地区で家財搬出。応募多数の場合は抽選です。")
    bus = add_bus(minami, on=day, hub="長野駅東口", departs_at=time(7, 30), seats=12, operator="デモ観光バス", by=pref)
    rng = random.Random(24)
    for n in range(60):
        volunteer = register_volunteer(
            name=f"県内 応募者{n + 1}", kana=f"ケンナイ オウボシャ{n + 1}", age_band=rng.choice(["20s", "30s", "40s", "50s"]),
            prefecture="長野県", city=rng.choice(CITIES), phone=f"080-2400-{n:04d}", email=f"pref{n}@demo.example.jp",
            insurance="enrolled", disaster=centre.disaster)
        if n < 42:
            apply(volunteer, there, bus=bus if n % 3 == 0 else None)
        else:
            apply(volunteer, here)
    allocate(there.pk, by=pref)
    return minami
