from django.urls import path

from mapping import views

app_name = "mapping"
urlpatterns = [
    path("c/<slug:centre>/map/", views.board, name="board"),
    path("c/<slug:centre>/map/needs.geojson", views.needs_geojson, name="needs_geojson"),
    path("c/<slug:centre>/map/needs/<int:need>.json", views.need_card, name="need_card"),
    path("c/<slug:centre>/map/panel/", views.panel, name="panel"),
]
