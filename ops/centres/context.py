"""Template context: the current centre's capabilities, so templates ask ops.permissions, not roles."""
import json

from django.utils.functional import SimpleLazyObject

from ops import permissions


def roles(request):
    centre = getattr(request, "centre", None)
    user = getattr(request, "user", None)
    if centre is None or user is None or not user.is_authenticated:
        # The menu's 「県域」 link, read (one query) only by pages outside a centre (ops.prefecture.selectors).
        from ops.prefecture.selectors import prefecture_home

        return {"caps": frozenset(), "centre": centre, "prefecture_link": SimpleLazyObject(lambda: prefecture_home(user))}
    return {"caps": {c.value for c in permissions.caps_of(user, centre)}, "centre": centre}


def map_settings(request):
    """The base map for every map (mapping.tiles: a local MBTiles file, a tile server, or none), read only by a
    page that draws a map."""
    from mapping import tiles

    def base_map():
        source = tiles.source()
        return {**source, "json": json.dumps(source, ensure_ascii=False)}

    return {"map_tiles": SimpleLazyObject(base_map)}
