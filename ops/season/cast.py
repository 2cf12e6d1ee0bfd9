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
# (work type codes, what the resident says, people, days, damage at survey). Some call for specialist work
# (屋根, チェーンソー, 重機): the survey and the coordinator route it to a partner organisation or to a team with
# the skill (ops.season.partners). Twelve of them: with ten calls a day each comes up on different days.
REQUESTS = [
    (["mud", "furniture"], "1階が床上浸水（約40cm）。畳12枚と家具の運び出し、泥出しをお願いしたい。", 8, 2, "above_floor"),
    (["mud"], "床下に泥が10cmほど溜まっている。床板は外してある。", 5, 1, "below_floor"),
    (["tarp"], "屋根瓦がずれて雨漏りしている。ブルーシートを張ってほしい。", 3, 1, "partial"),
    (["debris", "chainsaw"], "庭の立木が倒れて玄関をふさいでいる。チェーンソーで切ってから片付けたい。", 5, 1, "sediment"),
    (["furniture", "cleaning"], "冷蔵庫・洗濯機など浸水した家電の運び出しと室内の拭き掃除。", 4, 1, "above_floor"),
    (["sandbags"], "裏の水路があふれそうなので土のうを積んでほしい。", 4, 1, "other"),
    (["cleaning"], "泥出し後の高圧洗浄と消毒前の清掃。", 3, 1, "below_floor"),
    (["mud", "debris"], "車庫と庭に土砂が流入。スコップと一輪車で搬出したい。", 10, 2, "sediment"),
    (["furniture"], "2階へ家財を上げるのを手伝ってほしい（本人は足が悪い）。", 3, 1, "above_floor"),
    (["mud", "heavy"], "裏山の土砂が車庫と庭を埋めた。人の手では出せない量。家の中の泥出しもお願いしたい。", 8, 2,
     "sediment"),
    (["tarp", "furniture"], "屋根の一部が飛ばされ、2階の部屋に雨が入る。屋根の養生と、濡れた家財の運び出し。", 4, 1,
     "partial"),
    (["debris"], "庭に流れ着いた流木・がれきの撤去。軽トラックが必要。", 6, 1, "sediment"),
]
HOUSEHOLDS = [[], [], [], ["elderly_alone"], ["elderly_alone", "no_help"], ["disability"], ["infant"], ["care"], []]
HAZARDS = ["床板を外してあるので踏み抜き注意", "", "", "裏の斜面に亀裂あり。近づかないこと", ""]
NEAR_MISSES = ["床板を外した所で足を踏み外しかけた。", "釘の出た板を踏みそうになった。", "一輪車が段差で倒れかけた。"]
HOMES = [("長野県", "長野市")] * 5 + [("長野県", "松本市"), ("長野県", "上田市"), ("長野県", None),
                                      ("東京都", "世田谷区"), ("新潟県", "新潟市"), ("愛知県", "名古屋市"),
                                      ("埼玉県", "さいたま市")]
AGES = ["20s", "30s", "40s", "50s", "60s", "18_19", "20s", "40s", "50s", "70plus", "30s", "60s"]
# Declared at registration (Volunteer.Skill codes): a team with a chainsaw or roof member may take that
# specialist work itself (dispatch_refusal's skill rule).
SKILLS = [[], [], ["driver"], [], ["driver", "chainsaw"], [], ["nurse"], [], ["carpenter", "driver", "roof"],
          [], ["heavy", "driver"], []]
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

# The partner organisations the centre works with (三者連携), registered on the first morning: (name, kind,
# capabilities, contact, phone, email, notes, takes the centre's 協力団体 logins). Invented; phones in the
# 026-000 range, mail at example.jp.
ORGANISATIONS = [
    ("NPO法人 デモ災害技術支援ネット", "technical", ["roof", "chainsaw", "heavy", "underfloor"], "山岸 健",
     "026-000-2101", "gijutsu-net@example.jp", "屋根のブルーシート張り、チェーンソー、小型重機、床下。翌日の予定は前日夕方に連絡。",
     True),
    ("デモ市建設業協会", "company", ["heavy", "demolition"], "丸山 修", "026-000-2201", "kyokai@example.jp",
     "重機とダンプの手配は前日までに。家屋解体の相談も受ける。", False),
    ("デモ市 建設部 道路課", "city", ["transport", "heavy"], "清水 悟", "026-000-2301", "douro@example.jp",
     "道路・水路にかかる土砂の撤去と災害ごみの運搬。", False),
]
# By the capability the work calls for: what the coordinator writes when offering it, what the organisation
# reports when it is done, and when it is partly done (what is left).
PARTNER_WORK = {
    "roof": ("現地調査済み。2階建て、瓦屋根で勾配は緩やか。はしごは依頼者宅にあり。",
             "屋根全面にブルーシートを張り、土のう袋で固定した。雨漏りは止まった。",
             "屋根の南側だけ養生した。北側はシートが足りず、入荷後に続きを行う。"),
    "chainsaw": ("倒木は直径30cmほど。電線にはかかっていない。",
                 "倒木を玉切りにして敷地の外へ運び出した。", "倒木の半分を切断。根元の大木は次回。"),
    "heavy": ("現地調査済み。前面道路は幅4m、2tダンプが入れる。",
              "小型重機で車庫と庭の土砂を撤去し、ダンプで仮置き場へ運んだ。", "庭の土砂を撤去。車庫の中は次回。"),
}
DECLINED = "重機とオペレーターが別の現場に出ており、今週は対応できません。"
SCHEDULE_NOTE = "午前9時ごろ、2名で伺います。"
ROUTED = "本日の班に技能を持つメンバーがいないため依頼。"
CONTINUED = "前回の続き（一部完了の残り）。"
WAITING_FOR_PARTNER = "ボランティアの作業分は完了。協力団体の作業待ち。"
PARTNER_FINISHED = "%(org)sの作業完了を確認。ボランティアの作業分も完了済み。"
