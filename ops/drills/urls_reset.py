"""Routes of the drill's reset (ops.drills.views_reset)."""
from django.urls import path

from ops.drills import views_reset

urlpatterns = [
    path("c/<slug:centre>/drill/reset/", views_reset.reset, name="reset"),
]
