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
def duration(hours):
    """{{ attendance.hours|duration }} -> '3時間30分' / '3 h 30 min'; '' for none (see ops.wording.duration)."""
    return wording.duration(hours)


@register.filter
def actor(value):
    """Who acted without a login ('resident', 'leader:T-03') as words: 依頼者（確認リンク）, リーダー（T-03）."""
    return audit.actor_label(value) if value else ""


@register.filter
def prefecture(value):
    """A stored prefecture name ('長野県') in the page's language ('Nagano')."""
    return prefecture_label(value)
