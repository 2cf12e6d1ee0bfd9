from django.urls import path

from ops.dispatch import slip, views

app_name = "dispatch"
urlpatterns = [
    path("c/<slug:centre>/dispatch/teams/", views.teams, name="teams"),
    path("c/<slug:centre>/dispatch/teams/form/", views.form_team, name="form_team"),
    path("c/<slug:centre>/dispatch/teams/propose/", views.accept_proposals, name="accept_proposals"),
    path("c/<slug:centre>/dispatch/teams/<int:team>/ready/", views.make_ready, name="make_ready"),
    path("c/<slug:centre>/dispatch/teams/<int:team>/disband/", views.disband, name="disband"),
    path("c/<slug:centre>/dispatch/teams/<int:team>/lend/", views.lend, name="lend"),
    path("c/<slug:centre>/dispatch/loans/<int:loan>/return/", views.return_loan, name="return_loan"),
    path("c/<slug:centre>/dispatch/send/", views.send, name="send"),
    path("c/<slug:centre>/dispatch/<int:dispatch>/report/", views.staff_report, name="staff_report"),
    path("c/<slug:centre>/dispatch/<int:dispatch>/cancel/", views.cancel, name="cancel"),
    # The leader's private slip link: no account, the token is the key (see ops.dispatch.slip).
    path("s/<str:token>/", slip.slip, name="slip"),
    path("s/<str:token>/print/", slip.slip_print, name="slip_print"),
]
