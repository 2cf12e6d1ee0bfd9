"""Demo data for `make run`: about sixty volunteers, most checked in today (some already gone home), two
groups and bookings for tomorrow. Idempotent: services recognise returning people and repeat check-ins."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from ops.centres.models import Centre
from ops.volunteers.models import Attendance, Group, Volunteer
from ops.volunteers.rules import HEALTH_ITEMS
from ops.volunteers.services import book, check_in, check_out, register_group, register_volunteer

SURNAMES = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
            ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
            ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("松本", "マツモト"), ("井上", "イノウエ"),
            ("木村", "キムラ"), ("林", "ハヤシ"), ("清水", "シミズ"), ("宮沢", "ミヤザワ"), ("丸山", "マルヤマ")]
GIVEN = [("翔太", "ショウタ"), ("美咲", "ミサキ"), ("健一", "ケンイチ"), ("由美", "ユミ"), ("大輔", "ダイスケ"),
         ("直子", "ナオコ"), ("拓也", "タクヤ"), ("恵", "メグミ"), ("誠", "マコト"), ("陽子", "ヨウコ"),
         ("隆", "タカシ"), ("さくら", "サクラ"), ("浩二", "コウジ"), ("真理", "マリ"), ("悠斗", "ユウト")]
HOMES = [("長野県", "長野市")] * 5 + [("長野県", "松本市"), ("長野県", "上田市"), ("長野県", "デモ市"),
                                      ("東京都", "世田谷区"), ("新潟県", "新潟市"), ("愛知県", "名古屋市"),
                                      ("埼玉県", "さいたま市")]
AGES = ["20s", "30s", "40s", "50s", "60s", "18_19", "20s", "40s", "50s", "70plus", "30s", "60s"]
SKILLS = [[], [], ["driver"], [], ["driver", "chainsaw"], [], ["nurse"], [], ["carpenter", "driver"], [],
          ["heavy", "driver"], []]
HOW_MANY = 60
CHECKED_IN = 48  # the first 48 came today
CHECKED_OUT = 10  # of whom the first 10 have gone home
BOOKED_TOMORROW = range(40, 58)


def _person(i: int) -> dict:
    surname, surname_kana = SURNAMES[i % len(SURNAMES)]
    given, given_kana = GIVEN[(i * 7) % len(GIVEN)]
    prefecture, city = HOMES[i % len(HOMES)]
    return {
        "name": f"{surname} {given}", "kana": f"{surname_kana} {given_kana}",
        "phone": f"090-{2000 + i:04d}-{(i * 7919) % 10000:04d}",
        "email": f"volunteer{i:02d}@example.jp" if i % 4 == 0 else "",
        "age_band": AGES[i % len(AGES)], "prefecture": prefecture, "city": city,
        "emergency_name": f"{surname} 家族", "emergency_phone": f"026-{100 + i:03d}-{(i * 31) % 10000:04d}",
        "insurance": Volunteer.Insurance.ENROLLED_HERE if i % 9 == 0 else Volunteer.Insurance.ENROLLED,
        "skills": SKILLS[i % len(SKILLS)],
    }


def _at(centre: Centre, today: date, minutes_after_opening: int) -> datetime:
    opening = datetime.combine(today, centre.activity_start, tzinfo=ZoneInfo(centre.timezone))
    return min(opening + timedelta(minutes=minutes_after_opening), timezone.now())


def seed(centre: Centre, today: date) -> None:
    healthy = {key: True for key, _label in HEALTH_ITEMS}
    volunteers = [register_volunteer(centre=centre, **_person(i)) for i in range(HOW_MANY)]
    for i, volunteer in enumerate(volunteers[:CHECKED_IN]):
        attendance = check_in(volunteer, centre, on=today, via="staff" if i % 6 == 0 else "phone",
                              health=healthy | {"tetanus": "yes" if i % 3 else "unknown"}, insurance_confirmed=True)
        if attendance.created:  # a realistic morning queue rather than the seeding instant
            Attendance.objects.filter(pk=attendance.pk).update(checked_in_at=_at(centre, today, i // 2))
            attendance.refresh_from_db()
            if i < CHECKED_OUT:
                check_out(attendance, at=max(_at(centre, today, 6 * 60 + 30 + i), attendance.checked_in_at))
    tomorrow = today + timedelta(days=1)
    for i in BOOKED_TOMORROW:
        book(volunteers[i], centre, on=tomorrow)
    _groups(centre, today, tomorrow, healthy)


def _groups(centre: Centre, today: date, tomorrow: date, healthy: dict) -> None:
    if not Group.objects.filter(centre=centre, name="信州大学 災害ボランティアサークル").exists():
        circle = register_group(centre=centre, name="信州大学 災害ボランティアサークル", leader_name="宮下 拓海",
                                leader_kana="ミヤシタ タクミ", phone="090-3100-0001", email="circle@example.jp",
                                member_count=14, age_band="20s", prefecture="長野県", city="松本市")
        check_in(circle.leader, centre, on=today, health=healthy, insurance_confirmed=True, head_count=12)
    if not Group.objects.filter(centre=centre, name="株式会社デモ建設 社会貢献部").exists():
        register_group(centre=centre, name="株式会社デモ建設 社会貢献部", leader_name="北村 誠司",
                       leader_kana="キタムラ セイジ", phone="090-3100-0002", email="csr@example.jp", member_count=20,
                       age_band="40s", prefecture="長野県", city="長野市", on=tomorrow)
