"""デスク担当 (staff): find a volunteer checked in today (name, kana, phone or their QR scanned), give them a desk
for the day, see who holds one and end it. The writes are ops.desk.services.roles."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.desk.models import DeskRole
from ops.desk.services import roles as desk_roles
from ops.dispatch.views import volunteer_label
from ops.permissions import DESK_GRANT_CAP, centre_view
from ops.privacy import searches
from ops.volunteers import selectors
from ops.volunteers.models import Attendance

MAX_QUERY = 100


def _roles_url(centre, key=""):
    """The page, with the search kept behind ?s=<key> (ops.privacy.searches: a name or phone never in a URL)."""
    url = reverse("desk:roles", kwargs={"centre": centre.slug})
    return f"{url}?{searches.PARAM}={key}" if key else url


def _candidates(centre, today, query):
    """Today's attendances here, not checked out, of the volunteers the reception search finds."""
    found = list(selectors.search(centre, query[:MAX_QUERY]))
    return list(Attendance.objects.filter(centre=centre, date=today, checked_out_at__isnull=True,
                                          volunteer__in=found).select_related("volunteer", "team")
                .order_by("volunteer__kana_key"))


@centre_view(DESK_GRANT_CAP)  # ops.permissions.may_grant_desks
def roles(request, centre):
    today = centre.today()
    if request.method == "POST":
        if "attendance" not in request.POST:  # the search form: its words go behind ?s=<key>
            return searches.redirect_to_results(request)
        return _grant(request, centre, today)
    query = searches.recall(request).strip()
    label = volunteer_label(request, centre)
    day_roles = (DeskRole.objects.filter(centre=centre, attendance__date=today)
                 .select_related("attendance__volunteer").order_by("-granted_at"))
    in_force = set(DeskRole.objects.in_force(centre).values_list("pk", flat=True))
    candidates = _candidates(centre, today, query) if query else []
    return render(request, "desk/roles.html", {
        "today": today, "q": query, "search_key": request.GET.get(searches.PARAM, ""), "kinds": DeskRole.Kind.choices,
        "candidates": [(a, label(a)) for a in candidates],
        "in_force": [(r, label(r.attendance)) for r in day_roles if r.pk in in_force],
        "ended": [(r, label(r.attendance)) for r in day_roles if r.pk not in in_force],
        "searched": bool(query),
    })


def _grant(request, centre, today):
    key = request.POST.get(searches.PARAM, "")[:20]
    attendance = Attendance.objects.filter(centre=centre, date=today, pk=_int(request.POST.get("attendance"))).first()
    if attendance is None:
        messages.error(request, _("本日受付したボランティアを選んでください。"))
        return redirect(_roles_url(centre, key))
    try:
        role = desk_roles.grant(attendance, request.POST.get("kind", ""), by=request.user)
    except desk_roles.RoleRefused as err:
        messages.error(request, str(err))
        return redirect(_roles_url(centre, key))
    messages.success(request, _("%(name)sに「%(kind)s」を任せました。本人のマイページにデスクへのリンクが出ます。") % {
        "name": volunteer_label(request, centre)(attendance), "kind": role.get_kind_display()})
    return redirect(_roles_url(centre))


@require_POST
@centre_view(DESK_GRANT_CAP)
def end(request, centre, pk):
    role = get_object_or_404(DeskRole, centre=centre, pk=pk)
    desk_roles.end(role, by=request.user)
    messages.success(request, _("「%(kind)s」の担当を終了しました。") % {"kind": role.get_kind_display()})
    return redirect(_roles_url(centre))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
