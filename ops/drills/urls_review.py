"""Routes of the drill's after-action review (振り返り): the page and its PDF."""
from django.urls import path

from ops.drills import views_review

urlpatterns = [
    path("c/<slug:centre>/drill/review/", views_review.review_page, name="review"),
    path("c/<slug:centre>/drill/review.pdf", views_review.review_pdf, name="review_pdf"),
]
