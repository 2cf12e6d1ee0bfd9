"""c/<centre>/drill/reset/: putting a drill (訓練) back to its start. POST only: the first post (the control page's
button) shows what will go and asks again; the second, with `confirm`, resets. The drill's controller only
(ops.permissions.may_run_drill); a real centre is refused."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.drills.reset import ResetRefused, reset_drill
from ops.permissions import Cap, centre_view, may_run_drill


def _back(centre) -> str:
    return reverse("drills:control", kwargs={"centre": centre.slug})


@require_POST
@centre_view(Cap.MANAGE_CENTRE)
def reset(request, centre):
    if not may_run_drill(request.user, centre):
        raise PermissionDenied
    if request.POST.get("confirm") != "reset":
        return render(request, "drills/reset_confirm.html", {"back": _back(centre), "drill": centre.drill})
    try:
        reset_drill(centre, by=request.user)
    except ResetRefused as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("訓練を開始前の状態に戻しました。"))
    return redirect(_back(centre))
