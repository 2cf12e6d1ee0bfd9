"""Home, login and the per-centre menu that routes each role to its work."""
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from ops import audit as trail
from ops import permissions, wording
from ops.centres.models import AuditEntry, Centre
from ops.centres.sections import sections_for
from ops.offline import keys


def home(request):
    """Anonymous visitors see the open centres' public pages; staff go to their centre."""
    if not request.user.is_authenticated:
        centres = Centre.objects.real().exclude(status=Centre.Status.CLOSED).order_by("id")  # a drill's is not listed
        return render(request, "centres/public_home.html", {"centres": centres})
    centres = list(permissions.centres_for(request.user))
    if len(centres) == 1:
        return redirect("centre_home", centre=centres[0].slug)
    # 県域スタッフ with no centre of their own land on their one disaster's overview; several are listed.
    disasters = list(permissions.prefecture_disasters(request.user).order_by("id"))
    if not centres and len(disasters) == 1 and not request.user.is_superuser:
        return redirect("prefecture:overview", disaster=disasters[0].pk)
    return render(request, "centres/choose_centre.html", {"centres": centres, "disasters": disasters})


def centre_home(request, centre):
    centre = get_object_or_404(Centre, slug=centre)
    if not request.user.is_authenticated:
        return auth_views.redirect_to_login(request.get_full_path())
    caps = permissions.caps_of(request.user, centre)
    if not caps:
        return render(request, "centres/not_staff.html", {"centre": centre}, status=403)
    request.centre = centre
    sections = sections_for(caps, centre)
    if sections and request.GET.get("menu") is None:
        return redirect(sections[0]["url"])
    return render(request, "centres/menu.html", {"sections": sections})


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Logging out also tells the browser to drop what this site kept (caches, storage, service workers):
    a shared phone or tablet keeps no trace of the staff pages or of anyone's outbox."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        keys.clear_phone(response)
        return response


@permissions.centre_view(permissions.Cap.VIEW_AUDIT)
def audit(request, centre):
    """Administrators read who changed what; filters by object type and action."""
    entries = AuditEntry.objects.filter(centre=centre).select_related("user")
    object_type = request.GET.get("type", "")
    action = request.GET.get("action", "")
    if object_type:
        entries = entries.filter(object_type=object_type)
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    everything = AuditEntry.objects.filter(centre=centre)
    # Distinct in the database: with page views in the trail a centre's entries run to tens of thousands.
    types = sorted(everything.order_by().values_list("object_type", flat=True).distinct())
    actions = sorted(everything.order_by().values_list("action", flat=True).distinct())
    return render(request, "centres/audit.html", {
        "page": page, "rows": [_audit_row(e) for e in page], "object_type": object_type, "action": action,
        "types": [(t, trail.object_label(t)) for t in types], "actions": [(a, trail.action_label(a)) for a in actions],
    })


def _audit_row(entry: AuditEntry) -> dict:
    """An entry's stored codes as words in the page's language."""
    return {
        "at": entry.at,
        "by": trail.who(entry.user, entry.actor),
        "action": trail.action_label(entry.action),
        "object": f"{trail.object_label(entry.object_type)} #{entry.object_id}",
        "fields": wording.listing(trail.field_label(entry.object_type, name) for name in entry.fields),
        "note": entry.note,
    }
