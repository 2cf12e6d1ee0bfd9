"""The offline parts' own routes (the service worker's script), at the site root."""
from django.urls import path

from ops.offline import views

app_name = "offline"
urlpatterns = [
    path("offline-sw.js", views.service_worker, name="sw"),
    path("offline/", views.offline_page, name="page"),
]
