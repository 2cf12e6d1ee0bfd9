"""The prefecture's one registration point on the volunteer's phone (/d/<disaster>/...) and the personal
page's applications (/v/<token>/...)."""
from django.urls import path

from ops.prefecture import views_volunteer as views

app_name = "pref_vol"
urlpatterns = [
    path("d/<int:disaster>/", views.point, name="point"),
    path("d/<int:disaster>/register/", views.register, name="register"),
    path("d/<int:disaster>/signin/", views.signin, name="signin"),
    path("v/<str:token>/apply/", views.apply, name="apply"),
    path("v/<str:token>/applications/<int:pk>/cancel/", views.cancel, name="cancel"),
]
