"""The prefecture's pages, /pref/<disaster>/... (ops.permissions.prefecture_view on every one)."""
from django.urls import path

from ops.prefecture import views_overview, views_staff

app_name = "prefecture"

# --- the overview, recruitment across centres, the needs map by district, the staff (helper prefpages) ------
urlpatterns = [
    path("pref/<int:disaster>/", views_overview.overview, name="overview"),
    path("pref/<int:disaster>/figures.json", views_overview.figures, name="figures"),
    path("pref/<int:disaster>/recruitment/", views_overview.recruitment, name="recruitment"),
    path("pref/<int:disaster>/map/", views_overview.district_map, name="district_map"),
    path("pref/<int:disaster>/map/districts.json", views_overview.district_needs, name="district_needs"),
    path("pref/<int:disaster>/staff/", views_staff.staff, name="staff"),
    path("pref/<int:disaster>/staff/<int:member>/remove/", views_staff.staff_remove, name="staff_remove"),
]
# --- end of the overview's block ------------------------------------------------------------------------------
