"""Template filters for words and punctuation that follow the page's language (see ops/wording.py)."""
from django import template
from django.utils.html import format_html_join

from ops import audit, wording
from ops.centres.prefectures import prefecture_label

register = template.Library()


@register.filter
def listing(items, mark="、"):
    """{{ need.work_types.all|listing }} -> '泥出し、清掃' / 'Mud removal, Cleaning'; '' for no items."""
    return format_html_join(wording.separator(mark), "{}", ((item,) for item in items))


@register.filter
def who(user, actor=""):
    """{{ survey.surveyor|who }}, {{ change.by|who:change.actor }}: a staff account's name, an actor without a
    login as words (依頼者（確認リンク）, リーダー（T-03）), or 「削除されたアカウント」 (see audit.who)."""
    return audit.who(user, actor or "")


@register.filter
def duration(hours):
    """{{ attendance.hours|duration }} -> '3時間30分' / '3 h 30 min'; '' for none (see ops.wording.duration)."""
    return wording.duration(hours)


@register.filter
def prefecture(value):
    """A stored prefecture name ('長野県') in the page's language ('Nagano')."""
    return prefecture_label(value)
