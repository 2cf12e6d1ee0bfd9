from django.urls import path

from mapping import tile_views, views

app_name = "mapping"
urlpatterns = [
    path("c/<slug:centre>/map/", views.board, name="board"),
    path("c/<slug:centre>/map/needs.geojson", views.needs_geojson, name="needs_geojson"),
    path("c/<slug:centre>/map/needs/<int:need>.json", views.need_card, name="need_card"),
    path("c/<slug:centre>/map/panel/", views.panel, name="panel"),
    path("c/<slug:centre>/basemap/", tile_views.basemap_page, name="basemap"),
    path("tiles/<slug:which>/<int:z>/<int:x>/<int:y>.<slug:ext>", tile_views.tile, name="tile"),
]
