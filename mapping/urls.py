from django.urls import path

from mapping import address_views, tile_views, views

app_name = "mapping"
urlpatterns = [
    path("c/<slug:centre>/map/", views.board, name="board"),
    path("c/<slug:centre>/map/needs.geojson", views.needs_geojson, name="needs_geojson"),
    path("c/<slug:centre>/map/needs/<int:need>.json", views.need_card, name="need_card"),
    path("c/<slug:centre>/map/panel/", views.panel, name="panel"),
    path("c/<slug:centre>/basemap/", tile_views.basemap_page, name="basemap"),
    path("tiles/<slug:which>/<int:z>/<int:x>/<int:y>.<slug:ext>", tile_views.tile, name="tile"),
    path("c/<slug:centre>/map/unpinned.json", views.unpinned, name="unpinned"),
    path("c/<slug:centre>/map/needs/<int:need>/place", views.place, name="place"),
    path("c/<slug:centre>/map/find", views.find, name="find"),
    path("c/<slug:centre>/map/area/", views.area_view, name="area"),
    path("c/<slug:centre>/map/area/needs.json", views.area_feed, name="area_feed"),
    path("c/<slug:centre>/addresses/", address_views.address_data, name="addresses"),
    path("c/<slug:centre>/addresses/search", address_views.address_search, name="address_search"),
    path("postal/<str:postcode>.json", address_views.postal_lookup, name="postal"),
]
