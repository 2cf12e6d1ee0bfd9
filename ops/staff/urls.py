from django.urls import path

from ops.staff import views

app_name = "staff"
urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("centres/open/", views.open_another_centre, name="open_centre"),
    path("c/<slug:centre>/staff/", views.staff, name="list"),
    path("c/<slug:centre>/staff/<int:member>/role/", views.change_role, name="role"),
    path("c/<slug:centre>/staff/<int:member>/remove/", views.remove, name="remove"),
    path("c/<slug:centre>/staff/<int:member>/deactivate/", views.deactivate, name="deactivate"),
    path("c/<slug:centre>/staff/invitations/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("invite/<str:token>/", views.accept, name="accept"),
]
