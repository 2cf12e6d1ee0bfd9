"""The prefecture staff's offerings, allocation and buses (/pref/<disaster>/...), and the centre reception's
buses with their boarding rosters (/c/<centre>/volunteers/buses/...)."""
from django.urls import path

from ops.prefecture import views_buses, views_offerings

app_name = "pref_ops"
urlpatterns = [
    path("pref/<int:disaster>/offerings/", views_offerings.offering_list, name="offering_list"),
    path("pref/<int:disaster>/offerings/<int:pk>/", views_offerings.offering_detail, name="offering_detail"),
    path("pref/<int:disaster>/offerings/<int:pk>/allocate/", views_offerings.offering_allocate,
         name="offering_allocate"),
    path("pref/<int:disaster>/offerings/<int:pk>/call/", views_offerings.offering_call, name="offering_call"),
    path("pref/<int:disaster>/offerings/<int:pk>/draw.csv", views_offerings.offering_draw_record,
         name="offering_draw_record"),
    path("pref/<int:disaster>/buses/", views_buses.bus_list, name="bus_list"),
    path("pref/<int:disaster>/buses/<int:pk>/", views_buses.bus_detail, name="bus_detail"),
    path("pref/<int:disaster>/buses/<int:pk>/roster/", views_buses.bus_roster, name="bus_roster"),
    path("pref/<int:disaster>/buses/<int:pk>/roster.xlsx", views_buses.bus_roster, {"fmt": "xlsx"},
         name="bus_roster_xlsx"),
    path("pref/<int:disaster>/buses/<int:pk>/roster.csv", views_buses.bus_roster, {"fmt": "csv"},
         name="bus_roster_csv"),
    path("c/<slug:centre>/volunteers/buses/", views_buses.centre_buses, name="centre_buses"),
    path("c/<slug:centre>/volunteers/buses/<int:pk>/roster/", views_buses.centre_buses_roster,
         name="centre_buses_roster"),
    path("c/<slug:centre>/volunteers/buses/<int:pk>/roster.xlsx", views_buses.centre_buses_roster,
         {"fmt": "xlsx"}, name="centre_buses_roster_xlsx"),
    path("c/<slug:centre>/volunteers/buses/<int:pk>/roster.csv", views_buses.centre_buses_roster,
         {"fmt": "csv"}, name="centre_buses_roster_csv"),
]
