"""Desk services: the only writers of desk drafts, claims and roles; teams, dispatches and loans go through ops.dispatch.services."""
from django.utils.translation import gettext


def actor_of(request) -> str:
    """The audit trail's actor for a desk request: "" for staff (their user is recorded), and for a volunteer
    working a desk its kind and their attendance number (no name: the trail holds no personal data)."""
    role = getattr(request, "desk_role", None)
    if role is None:
        return ""
    return gettext("デスク担当 %(kind)s (受付 #%(pk)d)") % {"kind": role.get_kind_display(), "pk": role.attendance_id}
