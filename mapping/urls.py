from django.urls import path

from mapping import address_views, views

app_name = "mapping"
urlpatterns = [
    path("c/<slug:centre>/map/", views.board, name="board"),
    path("c/<slug:centre>/map/needs.geojson", views.needs_geojson, name="needs_geojson"),
    path("c/<slug:centre>/map/needs/<int:need>.json", views.need_card, name="need_card"),
    path("c/<slug:centre>/map/panel/", views.panel, name="panel"),
    path("c/<slug:centre>/addresses/", address_views.address_data, name="addresses"),
    path("c/<slug:centre>/addresses/search", address_views.address_search, name="address_search"),
]
