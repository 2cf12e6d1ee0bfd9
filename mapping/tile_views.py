"""The base map's tiles, served by the app itself (mapping.tiles), and the administrator's page saying which
base map every map shows."""
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mapping import tiles
from ops.permissions import Cap, centre_view

# The version is in the tile URL (?v=...), so a tile never changes under its address: browsers keep it a week.
TILE_CACHE = "public, max-age=604800"


@require_GET
def tile(request, which, z, x, y, ext):
    """One tile as Leaflet asks for it (XYZ); 404 for a tile, zoom or format the file does not have. The path
    is only integers and a known name: nothing in the URL reaches the file system."""
    basemap = tiles.by_name(which)
    if basemap is None or ext != basemap.extension:
        raise Http404
    etag = f'"{basemap.version}-{z}-{x}-{y}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        data = tiles.tile(basemap, z, x, y)
        if data is None:
            raise Http404
        response = HttpResponse(data, content_type=basemap.content_type)
    response["ETag"] = etag
    response["Cache-Control"] = TILE_CACHE
    return response


@require_GET
@centre_view(Cap.MANAGE_CENTRE)
def basemap_page(request, centre):
    configured = tiles.configured_path()
    problem = None
    if configured is not None:
        try:
            tiles.read_basemap(configured)
        except tiles.BasemapError as err:
            problem = str(err)
    return render(request, "mapping/basemap.html", {
        "source": tiles.source(), "basemap": tiles.loaded(), "configured": configured, "problem": problem,
        "from_setting": bool(settings.TILE_MBTILES), "tile_url": settings.TILE_URL, "demo": tiles.demo(),
    })
