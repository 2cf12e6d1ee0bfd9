from django.urls import path

from ops.welfare import handover_views, views

app_name = "welfare"
urlpatterns = [
    path("c/<slug:centre>/welfare/", views.case_list, name="cases"),
    path("c/<slug:centre>/welfare/<int:pk>/", views.case_detail, name="case"),
    # The handover print (handover_views): every open case, or one case's summary.
    path("c/<slug:centre>/welfare/handover/", handover_views.handover, name="handover"),
    path("c/<slug:centre>/welfare/<int:pk>/summary/", handover_views.summary, name="summary"),
    path("c/<slug:centre>/welfare/<int:pk>/update/", views.case_update, name="update"),
    path("c/<slug:centre>/welfare/<int:pk>/contact/", views.case_contact, name="contact"),
    path("c/<slug:centre>/welfare/<int:pk>/consent/", views.case_consent, name="consent"),
    path("c/<slug:centre>/welfare/<int:pk>/consent/<int:consent>/withdraw/", views.consent_withdraw,
         name="withdraw"),
    path("c/<slug:centre>/welfare/<int:pk>/refer/", views.case_refer, name="refer"),
    path("c/<slug:centre>/welfare/<int:pk>/referral/<int:referral>/outcome/", views.referral_outcome,
         name="outcome"),
    path("c/<slug:centre>/welfare/<int:pk>/close/", views.case_close, name="close"),
    path("c/<slug:centre>/welfare/open/<int:need>/", views.case_open, name="open"),
    path("c/<slug:centre>/welfare/directory/", views.directory_page, name="directory"),
    path("c/<slug:centre>/welfare/directory/agencies/", views.agency_add, name="agency_add"),
    path("c/<slug:centre>/welfare/directory/agencies/<int:pk>/", views.agency_edit, name="agency"),
    path("c/<slug:centre>/welfare/directory/categories/", views.category_add, name="category_add"),
    path("c/<slug:centre>/welfare/directory/categories/<int:pk>/active/", views.category_active,
         name="category_active"),
]
