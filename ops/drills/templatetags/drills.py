"""{% drill_banner %}: the 訓練 banner every page of a drill centre carries (base.html, the report documents),
{{ centre|drill_badge }} beside a drill centre's or disaster's name in lists, {% drill_injects %} for the staff board's 状況付与.
Words from ops.drills.marking."""
from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from ops.centres.models import Centre, Disaster
from ops.drills import marking

register = template.Library()

# The names pages give their centre: staff pages `centre`, public and phone pages `vc`, the public board
# `board_centre`; a page about a drill centre under another name sets `drill_centre`.
CENTRE_NAMES = ("drill_centre", "centre", "vc", "board_centre")


def centre_of(context):
    for name in CENTRE_NAMES:
        value = context.get(name)
        if isinstance(value, Centre):
            return value
    return None


@register.simple_tag(takes_context=True)
def drill_banner(context):
    """The banner, when the page's centre is a drill's (or, on a page above the centres, its disaster)."""
    disaster = context.get("disaster")
    if isinstance(disaster, Disaster) and disaster.drill:
        return drill_mark()
    return drill_mark() if marking.is_drill(centre_of(context)) else ""


@register.simple_tag
def drill_mark():
    """The banner itself, for a document that knows it is a drill's (the 日報: its figures' centre.drill)."""
    return format_html('<p class="drill-banner" role="note"><strong class="drill-word">{}</strong> {}</p>',
                       marking.WORD, marking.BANNER)


@register.filter
def drill_badge(obj):
    """A small 訓練 mark after a drill centre's or disaster's name; nothing for a real one."""
    drill = obj.drill if isinstance(obj, Disaster) else marking.is_drill(obj) if isinstance(obj, Centre) else False
    return format_html('<span class="drill-badge">{}</span>', marking.WORD) if drill else ""


SHOWN = 5  # the latest injects on the board; the control page lists them all


@register.simple_tag
def drill_injects(centre) -> list[dict]:
    """The latest 状況付与 of the centre's drill, newest first ([] for a real centre or a drill not started)."""
    if centre is None or not centre.is_drill:
        return []
    from ops.drills.models import Cue

    english = (get_language() or "ja").startswith("en")
    cues = Cue.objects.filter(drill__centre=centre, kind=Cue.Kind.INJECT).order_by("-index")[:SHOWN]
    return [{"at": c.detail.get("at", ""),
             "text": (c.detail.get("text_en") if english and c.detail.get("text_en") else c.detail.get("text", ""))}
            for c in cues]
