"""Template context: the current centre's capabilities, so templates ask ops.permissions, not roles."""
from ops import permissions


def roles(request):
    centre = getattr(request, "centre", None)
    user = getattr(request, "user", None)
    if centre is None or user is None or not user.is_authenticated:
        return {"caps": frozenset(), "centre": centre}
    return {"caps": {c.value for c in permissions.caps_of(user, centre)}, "centre": centre}
