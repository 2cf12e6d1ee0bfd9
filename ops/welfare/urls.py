from django.urls import path

from ops.welfare import handover_views, views

app_name = "welfare"
urlpatterns = [
    path("c/<slug:centre>/welfare/", views.case_list, name="cases"),
    path("c/<slug:centre>/welfare/<int:pk>/", views.case_detail, name="case"),
    # The handover print (handover_views): every open case, or one case's summary.
    path("c/<slug:centre>/welfare/handover/", handover_views.handover, name="handover"),
    path("c/<slug:centre>/welfare/<int:pk>/summary/", handover_views.summary, name="summary"),
]
