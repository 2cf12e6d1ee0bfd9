"""The drill's words on shared pages: the 状況付与 and calls rung so far, for the staff board's banner."""
from django import template
from django.utils.translation import get_language

register = template.Library()
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
