"""Template context: the current centre's capabilities, so templates ask ops.permissions, not roles."""
from ops import permissions


def roles(request):
    centre = getattr(request, "centre", None)
    user = getattr(request, "user", None)
    if centre is None or user is None or not user.is_authenticated:
        return {"caps": frozenset(), "centre": centre}
    return {"caps": {c.value for c in permissions.caps_of(user, centre)}, "centre": centre}


def map_settings(request):
    """Tile URL and attribution for every map (a setting: GSI by default, a LAN tile server, or none)."""
    from django.conf import settings

    return {"map_tiles": {"url": settings.TILE_URL, "attribution": settings.TILE_ATTRIBUTION}}
