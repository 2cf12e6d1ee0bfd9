"""Who takes part in a simulated season: residents calling for help and volunteers coming to help.

Deterministic: the same seed gives the same people, so a test can name what it looks for and the demo looks
the same every time. All invented; phone numbers are in the 090-0xxx range no carrier issues for a person.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

SURNAMES = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("小林", "コバヤシ"),
            ("中村", "ナカムラ"), ("宮沢", "ミヤザワ"), ("丸山", "マルヤマ"), ("滝沢", "タキザワ"), ("小松", "コマツ"),
            ("清水", "シミズ"), ("北村", "キタムラ"), ("竹内", "タケウチ"), ("山崎", "ヤマザキ"), ("荻原", "オギワラ"),
            ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("加藤", "カトウ"), ("吉田", "ヨシダ")]
ELDER_GIVEN = [("和子", "カズコ"), ("正雄", "マサオ"), ("幸子", "サチコ"), ("博", "ヒロシ"), ("節子", "セツコ"),
               ("茂", "シゲル"), ("美代子", "ミヨコ"), ("勇", "イサム"), ("キヨ", "キヨ"), ("清", "キヨシ")]
YOUNG_GIVEN = [("翔太", "ショウタ"), ("美咲", "ミサキ"), ("健一", "ケンイチ"), ("由美", "ユミ"), ("大輔", "ダイスケ"),
               ("直子", "ナオコ"), ("拓也", "タクヤ"), ("恵", "メグミ"), ("誠", "マコト"), ("陽子", "ヨウコ"),
               ("隆", "タカシ"), ("さくら", "サクラ"), ("浩二", "コウジ"), ("真理", "マリ"), ("悠斗", "ユウト")]

# (district, address stem, lat offset, lng offset): the flooded lowland along the river, south-east of the centre.
DISTRICTS = [
    ("中央", "中央", 0.000, 0.000), ("川端", "川端町", -0.006, 0.006), ("若宮", "若宮", -0.010, -0.004),
    ("新田", "新田", 0.005, 0.010), ("北堤", "北堤", 0.012, 0.004), ("柳原", "柳原", -0.003, 0.014),
]
# (work type codes, what the resident says, people, days, damage at survey)
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
HAZARDS = ["床板を外してあるので踏み抜き注意", "", "", "裏の斜面に亀裂あり。近づかないこと", ""]
NEAR_MISSES = ["床板を外した所で足を踏み外しかけた。", "釘の出た板を踏みそうになった。", "一輪車が段差で倒れかけた。"]
HOMES = [("長野県", "長野市")] * 5 + [("長野県", "松本市"), ("長野県", "上田市"), ("長野県", None),
                                      ("東京都", "世田谷区"), ("新潟県", "新潟市"), ("愛知県", "名古屋市"),
                                      ("埼玉県", "さいたま市")]
AGES = ["20s", "30s", "40s", "50s", "60s", "18_19", "20s", "40s", "50s", "70plus", "30s", "60s"]
SKILLS = [[], [], ["driver"], [], ["driver", "chainsaw"], [], ["nurse"], [], ["carpenter", "driver"], [],
          ["heavy", "driver"], []]
GROUPS = [("信州大学 災害ボランティアサークル", "宮下 拓海", "ミヤシタ タクミ", "長野県", "松本市", "20s", 12),
          ("株式会社デモ建設 社会貢献部", "北村 誠司", "キタムラ セイジ", "長野県", "長野市", "40s", 8),
          ("生活協同組合 ボランティア会", "原田 恵子", "ハラダ ケイコ", "長野県", "上田市", "50s", 6)]


@dataclass
class Resident:
    name: str
    kana: str
    phone: str
    address: str
    district: str
    lat: float | None
    lng: float | None
    request: tuple
    household: list = field(default_factory=list)


def resident(rng: random.Random, centre, n: int, *, pinned: bool = True) -> Resident:
    district, stem, dlat, dlng = DISTRICTS[n % len(DISTRICTS)]
    (sur, sur_k), (giv, giv_k) = rng.choice(SURNAMES), rng.choice(ELDER_GIVEN)
    lat = round(centre.lat - 0.004 + dlat + rng.uniform(-0.003, 0.003), 6) if pinned else None
    lng = round(centre.lng + 0.004 + dlng + rng.uniform(-0.003, 0.003), 6) if pinned else None
    return Resident(
        name=f"{sur} {giv}", kana=f"{sur_k} {giv_k}",
        phone=f"0{rng.choice(['90', '80', '70'])}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        address=f"{centre.municipality}{stem}{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}",
        district=district, lat=lat, lng=lng, request=REQUESTS[n % len(REQUESTS)],
        household=list(HOUSEHOLDS[n % len(HOUSEHOLDS)]),
    )


def volunteer(n: int, centre) -> dict:
    """The details volunteer number n registers with (register_volunteer's keywords)."""
    surname, surname_kana = SURNAMES[n % len(SURNAMES)]
    given, given_kana = YOUNG_GIVEN[(n * 7) % len(YOUNG_GIVEN)]
    prefecture, city = HOMES[n % len(HOMES)]
    return {
        "name": f"{surname} {given}", "kana": f"{surname_kana} {given_kana}",
        "phone": f"090-{2000 + n:04d}-{(n * 7919) % 10000:04d}",
        "email": f"volunteer{n:03d}@example.jp" if n % 4 == 0 else "",
        "age_band": AGES[n % len(AGES)], "prefecture": prefecture, "city": city or centre.municipality,
        "emergency_name": f"{surname} 家族", "emergency_phone": f"026-{100 + n % 900:03d}-{(n * 31) % 10000:04d}",
        "insurance": "enrolled_here" if n % 9 == 0 else "enrolled",
        "skills": SKILLS[n % len(SKILLS)],
    }

# The council's directory the welfare staff enter on the first day (kind, name, area, phone, takes the open
# cases over at closing). Invented offices; phones in the 026-000 range.
DIRECTORY = [
    ("houkatsu", "中央地域包括支援センター", "中央・川端・若宮", "026-000-1101", False),
    ("minsei", "民生委員（川端地区）", "川端", "026-000-1102", False),
    ("health", "市保健センター", "全域", "026-000-1103", False),
    ("sasaeai", "地域支え合いセンター", "全域", "026-000-1104", True),
]
# What the welfare staff find and decide on a case's first visit, by the case's number (categories, summary,
# what was found, what was agreed).
CASEWORK = [
    (["8050"], "80代の母と50代の息子の二人暮らし。息子は就労しておらず、片付けが進んでいない。",
     "母は足が弱く2階で生活。息子は来客に応じない。食事は母が用意している。",
     "週1回訪問して様子を見る。息子と話せる機会を探す。"),
    (["elderly_alone", "health"], "一人暮らしの高齢者。持病があり、浸水後は通院が途切れている。",
     "薬が残り少ない。かかりつけ医に連絡できていない。",
     "通院の手段を一緒に考える。保健センターの保健師に相談する。"),
    (["housing_loss", "poverty"], "自宅が住めない状態で親戚宅に身を寄せている。今後の住まいの見通しがない。",
     "り災証明の申請がまだ。仮設住宅の案内を知らなかった。",
     "り災証明と仮設住宅の申込みを案内する。次回に書類を確認する。"),
    (["elderly_alone", "dementia"], "一人暮らし。同じ話を繰り返し、片付けの約束を覚えていないことがある。",
     "冷蔵庫に傷んだ食品が残っていた。近所の方が時々様子を見ている。",
     "民生委員と一緒に見守る。地域包括支援センターへの相談を本人に提案する。"),
]
