"""Template helpers for the dispatch pages."""
from django import template

from ops.volunteers.models import Volunteer

register = template.Library()


@register.filter
def skill_label(code: str) -> str:
    """The registration form's label of a skill code (運転, チェーンソー ...); the code if unknown."""
    skills = getattr(Volunteer, "Skill", None)
    if skills is None:
        return code
    return dict(skills.choices).get(code, code)
