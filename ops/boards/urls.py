"""Board pages and their JSON: staff under /c/<centre>/board/, public under /p/<centre>/."""
from django.urls import path

from ops.boards import views, widget

app_name = "boards"
urlpatterns = [
    path("c/<slug:centre>/board/", views.staff_board, name="staff"),
    path("c/<slug:centre>/board/snapshot.json", views.staff_snapshot, name="staff_snapshot"),
    path("c/<slug:centre>/board/events.json", views.staff_events, name="staff_events"),
    path("c/<slug:centre>/board/recruitment/", views.recruitment, name="recruitment"),
    path("p/<slug:centre>/", views.public_board, name="public"),
    path("p/<slug:centre>/board.json", views.public_snapshot, name="public_snapshot"),
    path("p/<slug:centre>/events.json", views.public_events, name="public_events"),
    path("p/<slug:centre>/widget/", widget.widget, name="widget"),
]
