"""Needs: staff pages under c/<centre>/needs/, the public request form under p/<centre>/request/, and the
resident's private link under r/<token>/."""
from django.urls import path

from ops.needs.views import imports, public, staff

app_name = "needs"
urlpatterns = [
    path("c/<slug:centre>/needs/", staff.need_list, name="list"),
    path("c/<slug:centre>/needs/new/", staff.need_new, name="new"),
    path("c/<slug:centre>/needs/duplicates/", staff.duplicates_json, name="duplicates"),
    path("c/<slug:centre>/needs/import/", imports.import_needs, name="import"),
    path("c/<slug:centre>/needs/import/template.csv", imports.import_template, name="import_template"),
    path("c/<slug:centre>/needs/<int:pk>/", staff.need_detail, name="detail"),
    path("c/<slug:centre>/needs/<int:pk>/edit/", staff.need_edit, name="edit"),
    path("c/<slug:centre>/needs/<int:pk>/survey/", staff.need_survey, name="survey"),
    path("c/<slug:centre>/needs/<int:pk>/status/", staff.need_status, name="status"),
    path("c/<slug:centre>/needs/<int:pk>/welfare/", staff.need_welfare_flag, name="welfare_flag"),
    path("c/<slug:centre>/needs/<int:pk>/card/", staff.need_card, name="card"),
    path("c/<slug:centre>/needs/<int:pk>/slip/", staff.resident_slip, name="slip"),
    path("c/<slug:centre>/needs/<int:pk>/photos/", staff.photo_upload, name="photo_upload"),
    path("c/<slug:centre>/needs/<int:pk>/photos/<int:photo_id>/", staff.photo_file, name="photo"),
    path("c/<slug:centre>/needs/<int:pk>/photos/<int:photo_id>/delete/", staff.photo_delete, name="photo_delete"),
    path("p/<slug:centre>/request/", public.public_request, name="public_request"),
    path("p/<slug:centre>/request/thanks/", public.public_thanks, name="public_thanks"),
    path("r/<str:token>/", public.resident, name="resident"),
    path("r/<str:token>/close/", public.resident_close, name="resident_close"),
    path("r/<str:token>/undo/", public.resident_undo, name="resident_undo"),
]
