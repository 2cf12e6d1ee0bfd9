"""The scanning desks (/c/<centre>/desk/...): forming and sending teams, the tool desk, and the volunteers staff
give a desk for the day. Each desk's views take staff with Cap.DISPATCH or a volunteer whose desk role is in
force (ops.permissions.desk_view)."""
from django.urls import path

from ops.desk import views_roles, views_scan, views_tools

app_name = "desk"
urlpatterns = [
    # 受付スキャン: a need's QR, then volunteers' QR, the leader, 送り出し (ops.desk.services.scan)
    path("c/<slug:centre>/desk/", views_scan.desk, name="scan"),
    path("c/<slug:centre>/desk/scan.json", views_scan.scan, name="scan_code"),
    path("c/<slug:centre>/desk/leader.json", views_scan.leader, name="leader"),
    path("c/<slug:centre>/desk/remove.json", views_scan.remove, name="remove"),
    path("c/<slug:centre>/desk/clear.json", views_scan.clear, name="clear"),
    path("c/<slug:centre>/desk/dispatch.json", views_scan.send, name="dispatch"),
    # 資機材デスク: a team, then tools' labels, lent or taken back (ops.desk.services.tools)
    path("c/<slug:centre>/desk/tools/", views_tools.desk, name="tools"),
    path("c/<slug:centre>/desk/tools/scan.json", views_tools.scan, name="tools_scan"),
    # デスク担当: staff give a checked-in volunteer a desk for the day (ops.desk.services.roles)
    path("c/<slug:centre>/desk/roles/", views_roles.roles, name="roles"),
    path("c/<slug:centre>/desk/roles/<int:pk>/end/", views_roles.end, name="role_end"),
]
