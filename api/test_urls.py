"""The project's URLs with the API, for tests run where dvc/urls.py does not include it (it does since the
API was wired; then this is just dvc.urls)."""
from django.urls import include, path

from dvc.urls import urlpatterns as site_patterns

if any(str(p.pattern).startswith("api/") for p in site_patterns):
    urlpatterns = list(site_patterns)
else:
    urlpatterns = [path("api/v1/", include("api.urls")), *site_patterns]
