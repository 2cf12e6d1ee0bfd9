"""Routes of the drill's run: opening one, its control page and actions, the calls panel."""
from django.urls import path

from ops.drills import views_run

urlpatterns = [
    path("drills/new/", views_run.new, name="new"),
    path("c/<slug:centre>/drill/", views_run.control, name="control"),
    path("c/<slug:centre>/drill/run/", views_run.run, name="run"),
    path("c/<slug:centre>/drill/calls/", views_run.calls, name="calls"),
]
