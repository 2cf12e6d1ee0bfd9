from django.urls import path

from ops.welfare import views

app_name = "welfare"
urlpatterns = [
    path("c/<slug:centre>/welfare/", views.case_list, name="cases"),
    path("c/<slug:centre>/welfare/<int:pk>/", views.case_detail, name="case"),
]
