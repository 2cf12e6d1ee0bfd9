"""/api/v1/: included by the project's urls.py as path("api/v1/", include("api.urls"))."""
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import applications, centres, checkin, councils, dispatch, needs
from api.errors import not_found
from api.schema import SCHEMA_SETTINGS

app_name = "api"
C = "centres/<slug:centre>/"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1", custom_settings=SCHEMA_SETTINGS), name="schema"),
    path("centres/", centres.CentreListView.as_view(), name="centres"),
    path(C + "figures/", centres.FiguresView.as_view(), name="figures"),
    path(C + "needs/", needs.NeedListView.as_view(), name="needs"),
    path(C + "needs/search/", needs.NeedSearchView.as_view(), name="needs_search"),
    path(C + "needs/<int:pk>/", needs.NeedDetailView.as_view(), name="need"),
    path(C + "needs/<int:pk>/status/", needs.NeedStatusView.as_view(), name="need_status"),
    path(C + "teams/", dispatch.TeamListView.as_view(), name="teams"),
    path(C + "teams/waiting/", dispatch.WaitingListView.as_view(), name="waiting"),
    path(C + "teams/<int:pk>/", dispatch.TeamDetailView.as_view(), name="team"),
    path(C + "dispatches/", dispatch.DispatchListView.as_view(), name="dispatches"),
    path(C + "dispatches/<int:pk>/", dispatch.DispatchDetailView.as_view(), name="dispatch"),
    path(C + "dispatches/<int:pk>/return-report/", dispatch.ReturnReportView.as_view(), name="return_report"),
    path(C + "dispatches/<int:pk>/cancel/", dispatch.CancelView.as_view(), name="dispatch_cancel"),
    path("public/centres/<slug:centre>/status/", centres.PublicStatusView.as_view(), name="public_status"),
    path("public/councils/<slug:council>/", councils.PublicCouncilView.as_view(), name="public_council"),
    path("volunteer/check-in/", checkin.CheckInView.as_view(), name="check_in"),
    path("volunteers/<str:token>/check-in/", checkin.CheckInByLinkView.as_view(), name="check_in_by_link"),
    path("volunteer/applications/", applications.ApplicationsView.as_view(), name="applications"),
    path("volunteer/applications/<int:pk>/cancel/", applications.CancelApplicationView.as_view(),
         name="application_cancel"),
    re_path(r"^[\s\S]*$", not_found, name="not_found"),  # any path, a newline in it too ("." stops at one)
]
