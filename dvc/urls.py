"""URL map. Staff pages live under /c/<centre>/..., public pages under /p/<centre>/..., private links
(resident, volunteer, leader) under their own prefixes; each app declares its own paths."""
from importlib import import_module
from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path

from api import token_pages
from ops.centres import closing_views, council_views, settings_views, suspension_views
from ops.centres import views as centre_views
from ops.centres.health import healthz

# The admin runs without autodiscovery (leaflet/admin.py needs GDAL); our apps register explicitly.
for _app in ("ops.centres", "ops.needs", "ops.volunteers", "ops.dispatch", "ops.reports"):
    if find_spec(f"{_app}.admin"):
        import_module(f"{_app}.admin")

# A database that went away answers 503 with Retry-After, whatever failed first (dvc/unavailable.py).
handler500 = "dvc.unavailable.server_error"

urlpatterns = [
    path("", centre_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Early: the public board's JSON is polled by crowds, and every pattern tried before it costs each poll.
    path("", include("ops.boards.urls")),
    path("accounts/login/", centre_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", centre_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("c/<slug:centre>/", centre_views.centre_home, name="centre_home"),
    path("c/<slug:centre>/audit/", centre_views.audit, name="centre_audit"),
    path("c/<slug:centre>/settings/", settings_views.settings_page, name="centre_settings"),
    path("c/<slug:centre>/settings/bases/", settings_views.bases_page, name="centre_bases"),
    path("c/<slug:centre>/settings/bases/<int:pk>/", settings_views.base_edit, name="centre_base_edit"),
    path("c/<slug:centre>/settings/bases/<int:pk>/retire/", settings_views.base_retire, name="centre_base_retire"),
    path("c/<slug:centre>/settings/capacity/", settings_views.capacity_page, name="centre_capacity"),
    path("c/<slug:centre>/settings/capacity/<int:pk>/clear/", settings_views.capacity_clear,
         name="centre_capacity_clear"),
    path("c/<slug:centre>/suspension/", suspension_views.suspension_page, name="centre_suspension"),
    path("c/<slug:centre>/close/", closing_views.close, name="centre_close"),
    path("c/<slug:centre>/reopen/", closing_views.reopen, name="centre_reopen"),
    path("c/<slug:centre>/api-tokens/", token_pages.api_tokens, name="api_tokens"),
    path("c/<slug:centre>/api-tokens/<int:pk>/revoke/", token_pages.api_token_revoke, name="api_token_revoke"),
    path("council/<slug:council>/", council_views.council_page, name="council"),
    path("council/<slug:council>/info.json", council_views.council_info, name="council_info"),
    path("council/<slug:council>/settings/", council_views.council_settings, name="council_settings"),
    path("", include("ops.needs.urls")),
    path("", include("ops.welfare.urls")),
    path("", include("ops.volunteers.urls")),
    path("", include("ops.prefecture.urls_volunteer")),
    path("", include("ops.dispatch.urls")),
    path("", include("ops.desk.urls")),
    path("", include("ops.reports.urls")),
    path("", include("mapping.urls")),
    path("", include("ops.staff.urls")),
    path("", include("ops.exports.urls")),
    path("", include("ops.messages.urls")),
    path("", include("ops.partners.urls")),
    path("", include("ops.prefecture.urls")),
    path("", include("ops.prefecture.urls_offerings")),
    path("", include("ops.offline.urls")),
    path("", include("ops.drills.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "dvc.http.bad_request"  # a form body past DATA_UPLOAD_MAX_MEMORY_SIZE is a 413
