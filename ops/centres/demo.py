"""Demo data for `make run`: a centre, its bases and one login per role. Idempotent."""
from datetime import date, time

from django.contrib.auth import get_user_model

from ops.centres.models import Base, Centre, Disaster, Membership, Role

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (printed by make run; demo only)
DEMO_USERS = [
    ("admin", Role.ADMIN, "管理者 太郎"),
    ("coord", Role.COORDINATOR, "調整 次郎"),
    ("intake", Role.INTAKE, "受付 花子"),
    ("reception", Role.RECEPTION, "受付 三郎"),
    ("welfare", Role.WELFARE, "福祉 良子"),
    ("leader", Role.LEADER, "幹部 四郎"),
    ("city", Role.VIEWER, "市役所 防災課"),
]


def seed(today: date) -> Centre:
    disaster, _ = Disaster.objects.get_or_create(
        name="令和8年7月豪雨", defaults={"prefecture": "長野県", "started_on": date(today.year, 7, 3)}
    )
    centre, created = Centre.objects.get_or_create(slug="demo", defaults={
        "disaster": disaster, "name": "デモ市災害ボランティアセンター", "municipality": "デモ市",
        "prefecture": "長野県", "address": "長野県デモ市中央1-1 福祉センター", "phone": "026-000-0000",
        "lat": 36.6513, "lng": 138.1810, "status": Centre.Status.OPEN, "opened_on": today.replace(day=1),
        "latest_return_time": time(15, 30), "daily_capacity": 300,
        "insurance_signup_url": "https://example.jp/hoken",
        "what_to_bring": "長靴、厚手のゴム手袋、マスク、ゴーグル、タオル、着替え、飲み物、昼食",
        "notice": "駐車場に限りがあります。乗り合わせでお越しください。",
    })
    if created:
        Base.objects.create(centre=centre, name="本部", kind=Base.Kind.HQ, lat=36.6513, lng=138.1810,
                            address=centre.address)
        Base.objects.create(centre=centre, name="北サテライト", kind=Base.Kind.SATELLITE, lat=36.6650,
                            lng=138.1900, daily_capacity=80)
    User = get_user_model()
    for username, role, full_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            last, first = full_name.split(" ")
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD, last_name=last,
                                            first_name=first, is_staff=role == Role.ADMIN,
                                            is_superuser=role == Role.ADMIN)
        Membership.objects.get_or_create(user=user, centre=centre, role=role)
    return centre
