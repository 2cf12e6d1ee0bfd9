from django.urls import path

from ops.exports import views

app_name = "exports"
urlpatterns = [
    path("c/<slug:centre>/exports/", views.exports, name="index"),
    path("c/<slug:centre>/exports/<slug:dataset>/", views.download, name="download"),
]
