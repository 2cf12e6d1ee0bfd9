"""The service worker's script (at the site root, so that it may control the pages of the table in
ops/offline/static/offline/sw.js) and the short page it shows for a page it has no copy of."""
from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

SCRIPT = Path(__file__).resolve().parent / "static" / "offline" / "sw.js"


@require_GET
def service_worker(request):
    """Served from its static file; never cached by the browser (a new version reaches phones at once)."""
    response = HttpResponse(SCRIPT.read_bytes(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_page(request):
    """Kept by the worker when it installs, shown when a page was never kept or its copy has expired."""
    return render(request, "offline/offline.html")
