"""The staff outbox page: /c/<centre>/mail/."""
from django.urls import path

from ops.messages import views

app_name = "outbox"
urlpatterns = [
    path("c/<slug:centre>/mail/", views.outbox, name="list"),
    path("c/<slug:centre>/mail/<int:pk>/", views.mail_detail, name="mail"),
    path("c/<slug:centre>/mail/<int:pk>/send-again/", views.send_again, name="send_again"),
    path("c/<slug:centre>/mail/<int:pk>/delivered/", views.confirm_delivered, name="confirm_delivered"),
]
