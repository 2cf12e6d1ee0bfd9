"""The project's URLs plus the API, for tests run before dvc/urls.py includes the API itself."""
from django.urls import include, path

from dvc.urls import urlpatterns as site_patterns

urlpatterns = [path("api/v1/", include("api.urls")), *site_patterns]
