"""Demo needs for `make run`: about forty households around the demo centre after a river flood, in every
status, a few with welfare flags. Idempotent: a centre that already has needs gets nothing more."""
import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from ops.needs.models import Closure, Need, NeedStatus, Survey
from ops.needs.services import record_need, record_survey, set_status

# (district, address stem, lat offset, lng offset): the flooded lowland along the river, south-east of the centre.
DISTRICTS = [
    ("中央", "デモ市中央", 0.000, 0.000), ("川端", "デモ市川端町", -0.006, 0.006), ("若宮", "デモ市若宮", -0.010, -0.004),
    ("新田", "デモ市新田", 0.005, 0.010), ("北堤", "デモ市北堤", 0.012, 0.004), ("柳原", "デモ市柳原", -0.003, 0.014),
]
SURNAMES = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("小林", "コバヤシ"),
            ("中村", "ナカムラ"), ("宮沢", "ミヤザワ"), ("丸山", "マルヤマ"), ("滝沢", "タキザワ"), ("小松", "コマツ"),
            ("清水", "シミズ"), ("北村", "キタムラ"), ("竹内", "タケウチ"), ("山崎", "ヤマザキ"), ("荻原", "オギワラ")]
GIVEN = [("和子", "カズコ"), ("正雄", "マサオ"), ("幸子", "サチコ"), ("博", "ヒロシ"), ("節子", "セツコ"), ("茂", "シゲル"),
         ("恵美", "エミ"), ("健一", "ケンイチ"), ("美代子", "ミヨコ"), ("勇", "イサム")]
REQUESTS = [
    (["mud", "furniture"], "1階が床上浸水（約40cm）。畳12枚と家具の運び出し、泥出しをお願いしたい。", 8, 2, "above_floor"),
    (["mud"], "床下に泥が10cmほど溜まっている。床板は外してある。", 5, 1, "below_floor"),
    (["furniture", "cleaning"], "冷蔵庫・洗濯機など浸水した家電の運び出しと室内の拭き掃除。", 4, 1, "above_floor"),
    (["debris"], "庭に流れ着いた流木・がれきの撤去。軽トラックが必要。", 6, 1, "sediment"),
    (["mud", "debris"], "車庫と庭に土砂が流入。スコップと一輪車で搬出したい。", 10, 2, "sediment"),
    (["sandbags"], "裏の水路があふれそうなので土のうを積んでほしい。", 4, 1, "other"),
    (["cleaning"], "泥出し後の高圧洗浄と消毒前の清掃。", 3, 1, "below_floor"),
    (["tarp"], "屋根瓦がずれて雨漏りしている。ブルーシートを張ってほしい。", 3, 1, "partial"),
    (["furniture"], "2階へ家財を上げるのを手伝ってほしい（本人は足が悪い）。", 3, 1, "above_floor"),
    (["mud", "furniture", "cleaning"], "店舗兼住宅。店の商品棚と在庫の運び出し、泥出し。", 12, 3, "above_floor"),
]
HOUSEHOLDS = [[], [], [], ["elderly_alone"], ["elderly_alone", "no_help"], ["disability"], ["infant"], ["care"], []]
# Target status per need: weighted so the board has something in every column.
STATUSES = ([NeedStatus.NEW] * 8 + [NeedStatus.SURVEYED] * 6 + [NeedStatus.READY] * 10 + [NeedStatus.CONTINUING] * 4
            + [NeedStatus.COMPLETED] * 7 + [NeedStatus.ON_HOLD] * 2 + [NeedStatus.CANCELLED] * 3)
PATHS = {
    NeedStatus.NEW: [],
    NeedStatus.SURVEYED: [NeedStatus.SURVEYED],
    NeedStatus.READY: [NeedStatus.SURVEYED, NeedStatus.READY],
    NeedStatus.CONTINUING: [NeedStatus.SURVEYED, NeedStatus.READY, NeedStatus.ASSIGNED, NeedStatus.IN_PROGRESS,
                            NeedStatus.CONTINUING],
    NeedStatus.COMPLETED: [NeedStatus.SURVEYED, NeedStatus.READY, NeedStatus.ASSIGNED, NeedStatus.IN_PROGRESS,
                           NeedStatus.COMPLETED],
    NeedStatus.ON_HOLD: [NeedStatus.ON_HOLD],
    NeedStatus.CANCELLED: [NeedStatus.CANCELLED],
}


def seed(centre, today):
    if Need.objects.filter(centre=centre).exists():
        return
    rng = random.Random(20260705)  # the same demo every time
    start = timezone.make_aware(datetime.combine(today - timedelta(days=4), time(8, 30)))
    for i, target in enumerate(STATUSES):
        district, stem, dlat, dlng = DISTRICTS[i % len(DISTRICTS)]
        (sur, sur_k), (giv, giv_k) = rng.choice(SURNAMES), rng.choice(GIVEN)
        work, text, people, days, damage = REQUESTS[i % len(REQUESTS)]
        household = HOUSEHOLDS[i % len(HOUSEHOLDS)]
        welfare = "crisis" if i in (5, 23) else "watch" if household and "elderly_alone" in household else "none"
        need = record_need(
            centre=centre, by=None, actor="demo",
            channel=rng.choice(["phone", "phone", "phone", "counter", "web", "referral"]),
            requester_name=f"{sur} {giv}", requester_kana=f"{sur_k} {giv_k}",
            phone=f"0{rng.choice(['90', '80', '70'])}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            address=f"{stem}{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}", district=district,
            lat=round(centre.lat - 0.004 + dlat + rng.uniform(-0.003, 0.003), 6),
            lng=round(centre.lng + 0.004 + dlng + rng.uniform(-0.003, 0.003), 6),
            work_types=work, description=text, people_needed=people, days_needed=days,
            tools_needed="スコップ、一輪車、土のう袋" if "mud" in work else "",
            vehicle_needed="debris" in work, hazards="床板を外してあるので踏み抜き注意" if i % 4 == 1 else "",
            household=household, consent_share=True, priority=1 if welfare == "crisis" or i % 7 == 0 else 2,
            received_at=start + timedelta(minutes=47 * i), welfare=welfare,
            welfare_note="一人暮らしで持病あり。避難所から自宅に戻っている。" if welfare == "crisis" else "",
        )
        if "tarp" in work:  # roof work: refused at survey and referred to specialists
            record_survey(need, by=None, damage_type=Survey.Damage.PARTIAL, people_needed=3, days_needed=1,
                          volunteer_ok=False, refusal_reason="屋根上の作業のため", referred_to="技術系災害NPO")
            continue
        for step in PATHS[target]:
            if step == NeedStatus.SURVEYED:
                record_survey(need, by=None, damage_type=damage, people_needed=people, days_needed=days,
                              work_class="、".join(work), estimate_reason="現地確認による")
            elif step == NeedStatus.CANCELLED:
                set_status(need, step, actor="demo", reason="依頼者から電話（親族が対応）",
                           closure=Closure.HELPED_ELSEWHERE)
            else:
                set_status(need, step, actor="demo", reason="デモデータ")
