"""Volunteers: phone pages (/p/<centre>/..., /v/<token>/, /g/<token>/) and reception (/c/<centre>/volunteers/)."""
from django.urls import path

from ops.volunteers.views import calls, phone, staff

app_name = "volunteers"
urlpatterns = [
    # On the volunteer's phone
    path("p/<slug:centre>/volunteers/register/", phone.register, name="register"),
    path("p/<slug:centre>/volunteers/signin/", phone.signin, name="signin"),
    path("p/<slug:centre>/volunteers/book/", phone.book, name="book"),
    path("p/<slug:centre>/volunteers/group/", phone.group_register, name="group_register"),
    path("p/<slug:centre>/checkin/<str:code>/", phone.checkin, name="checkin"),
    path("v/<str:token>/", phone.personal, name="personal"),
    path("v/<str:token>/renew/", phone.renew, name="renew"),
    path("v/<str:token>/forget/", phone.forget, name="forget"),
    path("v/<str:token>/checkout/<slug:centre>/", phone.checkout, name="checkout"),
    path("v/<str:token>/calls/", phone.call_preferences, name="call_preferences"),
    path("v/<str:token>/bookings/<int:pk>/cancel/", phone.cancel_booking, name="cancel_booking"),
    path("v/<str:token>/certificate/<slug:centre>.pdf", phone.certificate, name="certificate"),
    path("g/<str:token>/", phone.group_page, name="group"),
    path("m/stop/<str:token>/", calls.stop, name="stop_calls"),
    # At the reception desk
    path("c/<slug:centre>/volunteers/reception/", staff.reception, name="reception"),
    path("c/<slug:centre>/volunteers/reception/counts.json", staff.counts, name="counts"),
    path("c/<slug:centre>/volunteers/walk-in/", staff.walk_in, name="walk_in"),
    path("c/<slug:centre>/volunteers/roster/", staff.roster, name="roster"),
    path("c/<slug:centre>/volunteers/poster/", staff.poster, name="poster"),
    path("c/<slug:centre>/volunteers/groups/", staff.groups, name="groups"),
    path("c/<slug:centre>/volunteers/bookings/", staff.bookings, name="bookings"),
    path("c/<slug:centre>/volunteers/calls/", calls.calls, name="calls"),
    path("c/<slug:centre>/volunteers/<int:pk>/", staff.card, name="card"),
    path("c/<slug:centre>/volunteers/<int:pk>/check-in/", staff.staff_check_in, name="staff_check_in"),
    path("c/<slug:centre>/volunteers/<int:pk>/renew-link/", staff.renew_link, name="renew_link"),
    path("c/<slug:centre>/volunteers/attendance/<int:pk>/check-out/", staff.staff_check_out,
         name="staff_check_out"),
    path("c/<slug:centre>/volunteers/<int:pk>/certificate.pdf", staff.staff_certificate, name="staff_certificate"),
]
