"""The demo centre for `make run`: a centre, its bases, one login per role, its tools and report recipients,
and a season of work played through the real services (ops.season) up to the moment it is started, with
the partner organisations the season registers (三者連携) and the login `partner` of the first of them.

Idempotent: run again the same day it adds nothing; on a later day it plays that day up to now.
The demo's working hours are fitted around the hour it is started, so that at any hour there are volunteers
waiting, teams ready and needs to send them to, and the return deadline still ahead (a real centre keeps its
hours; the demo would otherwise be closed most of the day).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ops.centres.models import Base, Centre, Council, Disaster, Membership, Role

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (printed by make run; demo only)
DEMO_USERS = [
    ("admin", Role.ADMIN, "管理者 太郎"),
    ("coord", Role.COORDINATOR, "調整 次郎"),
    ("intake", Role.INTAKE, "受付 花子"),
    ("reception", Role.RECEPTION, "受付 三郎"),
    ("welfare", Role.WELFARE, "福祉 良子"),
    ("leader", Role.LEADER, "幹部 四郎"),
    ("city", Role.VIEWER, "市役所 防災課"),
    # a login of the technical NPO (ops.season.cast.ORGANISATIONS): sees only the jobs offered to it
    ("partner", Role.PARTNER, "山岸 健"),
]
EQUIPMENT = [
    ("角スコップ", 60, "本"), ("剣先スコップ", 40, "本"), ("一輪車", 20, "台"), ("土のう袋", 500, "袋"),
    ("バール", 12, "本"), ("デッキブラシ", 30, "本"), ("高圧洗浄機", 4, "台"), ("ブルーシート", 50, "枚"),
    ("バケツ", 40, "個"), ("じょれん", 15, "本"),
]
NUMBERED = ("高圧洗浄機", "一輪車")  # kinds lent and returned one numbered item at a time (個体管理)
# 消耗品 counted in on the first morning (the season counts more in and hands them out each day).
CONSUMABLES = [("飲料水（500ml）", "本", 240), ("マスク", "枚", 500), ("軍手", "双", 200), ("塩分タブレット", "粒", 1000)]
CENTRE_RECIPIENTS = [
    ("デモ市 危機管理防災課", "bousai@example.jp"),
    ("デモ市社会福祉協議会 事務局長", "jimukyoku@example.jp"),
    ("長野県社会福祉協議会 災害支援担当", "saigai@example.jp"),
]
ROLLUP_RECIPIENTS = [("長野県災害ボランティアセンター（県社協）", "ken-vc@example.jp")]
SEASON_DAYS = 5  # days before today played whole
# The council that opened the demo centre, and what its page says in normal times (/council/demo-shakyo/).
DEMO_COUNCIL = {
    "name": "デモ市社会福祉協議会", "prefecture": "長野県", "municipality": "デモ市",
    "phone": "026-000-0001", "address": "長野県デモ市中央1-1 デモ市福祉センター内",
    "website": "https://example.jp/demo-shakyo/",
    "normal_message": "デモ市社会福祉協議会です。災害が起きたときは、このページで災害ボランティアセンターの"
                      "開設状況をお知らせします。\n平常時のボランティア活動のご相談は、ボランティアセンター窓口へ。",
    "links": "ボランティア活動保険のご案内 | https://example.jp/demo-shakyo/hoken\n"
             "災害ボランティアの心得 | https://example.jp/demo-shakyo/kokoroe",
}
# The demo centre's public information of the day (ops.centres.public), filled where it is empty.
DEMO_PUBLIC_INFO = {
    "work_today": "泥出し・家財搬出・床下の清掃",
    "tomorrow_meeting_time": time(8, 30),
    "tomorrow_meeting_place": "本部（デモ市福祉センター駐車場）",
    "tomorrow_plan": "引き続き北地区・川沿い地区で泥出しと家財搬出。長靴と厚手の手袋をお持ちください。",
    "status_message": "本日も受付しています。駐車場は乗り合わせでお越しください。",
}
DEMO_PROFILE = {"address": "長野県デモ市中央1-1 福祉センター", "phone": "026-000-0000",
                "insurance_signup_url": "https://example.jp/hoken"}
# A real centre's hours, kept when the demo is started in the middle of them.
STANDARD_HOURS = (time(8, 30), time(15, 30), time(16, 0), time(18, 0))


def fitted_hours(now: time) -> tuple[time, time, time, time]:
    """(activity start, latest return, activity end, report time) with `now` in the working morning: the
    standard hours between 10:00 and 13:30; otherwise a day that began 90 minutes ago (not before midnight)
    and whose teams are due back seven hours after it began (at the latest 23:55)."""
    if time(10, 0) <= now <= time(13, 30):
        return STANDARD_HOURS
    minutes = now.hour * 60 + now.minute
    start = max(0, (minutes - 90) // 30 * 30)
    back = min(start + 7 * 60, 23 * 60 + 55)
    end = min(back + 30, 23 * 60 + 58)
    report = min(end + 60, 23 * 60 + 59)
    return tuple(time(m // 60, m % 60) for m in (start, back, end, report))


def centre_and_staff(first_day: date) -> Centre:
    disaster, _ = Disaster.objects.get_or_create(
        name="令和8年7月豪雨", defaults={"prefecture": "長野県", "started_on": first_day - timedelta(days=1)})
    centre, created = Centre.objects.get_or_create(slug="demo", defaults={
        "disaster": disaster, "name": "デモ市災害ボランティアセンター", "municipality": "デモ市",
        "prefecture": "長野県", "address": "長野県デモ市中央1-1 福祉センター", "phone": "026-000-0000",
        "lat": 36.6513, "lng": 138.1810, "status": Centre.Status.OPEN, "opened_on": first_day,
        "daily_capacity": 300, "insurance_signup_url": "https://example.jp/hoken",
        "recruitment_scope": Centre.Scope.NATIONAL,  # the season's volunteers come from several prefectures
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
                                            first_name=first, email=f"{username}@demo.example.jp",
                                            is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
        Membership.objects.get_or_create(user=user, centre=centre, role=role)
    from ops.season.partners import link_logins

    link_logins(centre)  # a demo made before the partner login: it joins the NPO (the season registered it)
    _tools_and_recipients(centre)
    load_demo_addresses(centre)
    _council_and_public_info(centre)
    return centre


def organisations_of(username: str, centre: Centre) -> str:
    """The partner organisations a demo login works for at the centre (make run prints them beside it)."""
    from ops.partners.models import Organisation

    return "、".join(Organisation.objects.filter(centre=centre, users__username=username).values_list("name", flat=True))


def _council_and_public_info(centre: Centre) -> None:
    """The demo council with the demo centre on its page, and the centre's public information where a field is
    empty (a demo made before these fields gets them too; what was typed since is kept)."""
    from ops.centres import services

    council, _ = Council.objects.get_or_create(slug="demo-shakyo", defaults=DEMO_COUNCIL)
    if centre.council_id is None:
        Centre.objects.filter(pk=centre.pk).update(council=council)
        centre.council = council
    empty = {f: v for f, v in DEMO_PROFILE.items() if not getattr(centre, f)}
    if empty:
        Centre.objects.filter(pk=centre.pk).update(**empty)
        centre.refresh_from_db()
    info = {f: getattr(centre, f) or v for f, v in DEMO_PUBLIC_INFO.items()}
    if any(getattr(centre, f) != v for f, v in info.items()):
        # written by the demo's administrator, as staff would (the audit page names them, not a deleted account)
        admin = get_user_model().objects.filter(username="admin").first()
        services.set_public_info(centre, **info, by=admin)


def demo_address_file(centre: Centre) -> bytes:
    """A made-up 位置参照情報 街区レベル file for the demo city, in the official layout and encoding (quoted cp932
    CSV): 一丁目..五丁目 of each district the season's residents live in (ops.season.cast.DISTRICTS), blocks 1-30,
    around where the season puts those districts, so every demo need's address can be found on the map."""
    import csv
    import io

    from kanjize import number2kanji

    from mapping.addresses.importer import BLOCK_COLUMNS
    from ops.season.cast import DISTRICTS
    from ops.spreadsheets import csv_writer

    out = io.StringIO(newline="")
    writer = csv_writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(BLOCK_COLUMNS)
    for _district, stem, dlat, dlng in DISTRICTS:
        for chome in range(1, 6):
            for block in range(1, 31):
                row, col = divmod(block - 1, 6)
                lat = centre.lat - 0.004 + dlat + (chome - 3) * 0.0011 + (row - 2) * 0.0002
                lng = centre.lng + 0.004 + dlng + (col - 2.5) * 0.0004
                writer.writerow([centre.prefecture, centre.municipality, f"{stem}{number2kanji(chome)}丁目", "",
                                 str(block), "8", "0.0", "0.0", f"{lat:.6f}", f"{lng:.6f}", "1", "1", "0", "0"])
    return out.getvalue().encode("cp932")


def load_demo_addresses(centre: Centre) -> None:
    """The demo city's address data, through the same importer as a real file (once)."""
    import io

    from mapping.addresses.importer import import_file
    from mapping.models import AddressImport

    if not AddressImport.objects.filter(prefecture=centre.prefecture, city=centre.municipality).exists():
        import_file(io.BytesIO(demo_address_file(centre)), "demo-addresses.csv", actor="demo")


def stock_the_desk(centre: Centre, by=None) -> None:
    """The tool desk's first stock, through the ledger's services (each kind starts with a 受入 line)."""
    from ops.dispatch.models import Consumable, EquipmentKind
    from ops.dispatch.services.consumables import add_consumable
    from ops.dispatch.services.ledger import add_items, add_kind

    for name, total, unit in EQUIPMENT:
        if not EquipmentKind.objects.filter(centre=centre, name=name).exists():
            add_kind(centre=centre, name=name, unit=unit, quantity=total, note="開設時の受入", by=by)
    for kind in EquipmentKind.objects.filter(centre=centre, name__in=NUMBERED, items__isnull=True):
        add_items(kind=kind, count=kind.total, by=by)  # the machines carry a numbered label each
    for name, unit, quantity in CONSUMABLES:
        if not Consumable.objects.filter(centre=centre, name=name).exists():
            add_consumable(centre=centre, name=name, unit=unit, quantity=quantity, by=by)


def _tools_and_recipients(centre: Centre) -> None:
    from ops.reports.models import ReportRecipient
    from ops.reports.services import add_recipient

    stock_the_desk(centre)
    for name, email in CENTRE_RECIPIENTS:
        if not ReportRecipient.objects.filter(centre=centre, email=email).exists():
            add_recipient(centre=centre, name=name, email=email)
    for name, email in ROLLUP_RECIPIENTS:
        if not ReportRecipient.objects.filter(disaster=centre.disaster, centre=None, email=email).exists():
            add_recipient(disaster=centre.disaster, name=name, email=email)


def seed(now: datetime | None = None):
    """The demo centre with its season up to `now` (default: the real now). Returns (centre, season or None
    when there was nothing to add)."""
    from ops.season import play_season

    now = now or timezone.now()
    probe = Centre(timezone=Centre._meta.get_field("timezone").default)
    today = probe.day_of(now)
    centre = centre_and_staff(today - timedelta(days=SEASON_DAYS))
    today = centre.day_of(now)
    if centre.attendances.filter(date=today).exists():
        # today was played before the season had partner organisations: they are registered now
        from ops.season.partners import register_organisations

        register_organisations(centre, by=get_user_model().objects.filter(username="admin").first())
        from ops.season.prefecture import seed_prefecture

        seed_prefecture(centre, today)  # a demo made before the prefecture level: it is added now
        _drill_centre(centre)
        return centre, None
    start, back, end, report = fitted_hours(centre.local(now).time())
    Centre.objects.filter(pk=centre.pk).update(activity_start=start, latest_return_time=back, activity_end=end,
                                               report_time=report)
    centre.refresh_from_db()
    first_day = today if centre.needs.exists() else centre.opened_on or today - timedelta(days=SEASON_DAYS)
    season = play_season(centre, first_day=first_day, until=now)
    from ops.season.prefecture import seed_prefecture

    seed_prefecture(centre, today)
    _drill_centre(centre)
    return centre, season


def _drill_centre(centre: Centre) -> None:
    """The demo's 訓練センター beside it (ops.drills.demo), with the demo staff in their roles."""
    from ops.drills.demo import seed_drill

    seed_drill(centre)
