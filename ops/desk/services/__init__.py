"""Desk services: the only writers of desk drafts, claims and roles; teams, dispatches and loans go through ops.dispatch.services."""


def actor_of(request) -> str:
    """Who the audit trail names for a desk's write: "" for staff (their user is `by`); for a volunteer at a
    desk, the desk and their attendance number, no name."""
    role = getattr(request, "desk_role", None)
    if role is None:
        return ""
    return f"デスク担当 {role.get_kind_display()} (受付 #{role.attendance_id})"
