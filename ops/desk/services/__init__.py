"""Desk services: the only writers of desk drafts, claims and roles; teams, dispatches and loans go through ops.dispatch.services."""
from django.utils import translation


def actor_of(request) -> str:
    """Who the audit trail names for a desk's write: "" for staff (their user is `by`); for a volunteer at a
    desk, the desk and their attendance number, no name. In Japanese whatever the desk's language: the trail is
    one record read by everyone, like the need's history."""
    role = getattr(request, "desk_role", None)
    if role is None:
        return ""
    with translation.override("ja"):
        return f"デスク担当 {role.get_kind_display()} (受付 #{role.attendance_id})"
