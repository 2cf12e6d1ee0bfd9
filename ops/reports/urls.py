"""Report pages under c/<centre>/reports/: today's preview, notes, send now, recipients, archive, files."""
from datetime import date

from django.urls import path, register_converter

from ops import days
from ops.reports import views


class IsoDate:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        day = days.parse_day(value)
        if day is None:  # not a day, or outside the years ops.days allows: no match, so 404
            raise ValueError(value)
        return day

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(IsoDate, "reportdate")

app_name = "reports"
urlpatterns = [
    path("c/<slug:centre>/reports/", views.today, name="today"),
    path("c/<slug:centre>/reports/notes/", views.save_notes, name="notes"),
    path("c/<slug:centre>/reports/send/", views.send_now, name="send"),
    path("c/<slug:centre>/reports/status/", views.status, name="status"),
    path("c/<slug:centre>/reports/chart.png", views.live_chart, name="live_chart"),
    path("c/<slug:centre>/reports/recipients/", views.recipients, name="recipients"),
    path("c/<slug:centre>/reports/recipients/<int:pk>/", views.recipient_update, name="recipient_update"),
    path("c/<slug:centre>/reports/archive/", views.archive, name="archive"),
    path("c/<slug:centre>/reports/<reportdate:day>/", views.detail, name="detail"),
    path("c/<slug:centre>/reports/<reportdate:day>/<slug:kind>/", views.download, name="file"),
    path("c/<slug:centre>/reports/rollup/<reportdate:day>/<slug:kind>/", views.rollup_download, name="rollup_file"),
]
