"""The centre's safety rules for a day in the field: the latest return time, the work/rest cycle in hot
weather and the pre-departure checklist read out before a team leaves."""
from datetime import date

from django.utils.translation import gettext_lazy as _

# Months with heat-illness risk in Japan (熱中症警戒: June to September).
HOT_MONTHS = frozenset({6, 7, 8, 9})

# What the leader confirms with the team before leaving (出発前チェック).
CHECKLIST = [
    _("全員の体調を確認した（発熱・睡眠不足・持病）"),
    _("飲み物と塩分を持った（1人1.5リットル以上）"),
    _("長袖・長ズボン・長靴・手袋・マスク・ゴーグルを着用した"),
    _("センターの電話番号を全員が知っている"),
    _("作業内容・危険箇所・帰着時刻を全員に伝えた"),
    _("借りた資機材の数を確認した"),
]


def is_hot_season(on: date) -> bool:
    return on.month in HOT_MONTHS


def work_rest_note(on: date) -> str:
    """The work/rest cycle printed on slips in hot weather; empty outside the hot months."""
    if not is_hot_season(on):
        return ""
    return str(_("暑さ対策：20分作業したら10分休憩。のどが渇く前に水分と塩分を取り、"
                 "体調が悪い人がいたらすぐに作業を止めてセンターに連絡してください。"))
