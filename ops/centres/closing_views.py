"""/c/<centre>/close/: what is still open, its handover exports, and closing (閉所) after typing the centre's
name; /c/<centre>/reopen/ undoes a mistaken close. Administrators only (Cap.MANAGE_CENTRE)."""
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.centres import closing
from ops.exports.datasets import DATASETS
from ops.permissions import Cap, caps_of, centre_view

HANDOVER = ("open-needs", "welfare-cases")
SHOWN = 50  # rows of each list on the page; the exports carry them all


@centre_view(Cap.MANAGE_CENTRE)
def close(request, centre):
    error, status = "", 200
    if request.method == "POST":
        try:
            closing.close_centre(centre, confirm_name=request.POST.get("confirm_name", ""), by=request.user)
        except closing.ClosingError as err:
            error, status = err.message, 400
        else:
            messages.success(request, _("閉所しました。予約は取り消し、ボランティアへ通知しました。"))
            return redirect("centre_close", centre=centre.slug)
    caps = caps_of(request.user, centre)
    left = closing.still_open(centre)
    welfare = left.welfare.count()
    kept = left.welfare.kept_past_retention().count()  # what stays past retention (erase_personal_data)
    return render(request, "centres/close.html", {
        "left": left, "shown": SHOWN, "error": error,
        "counts": {"needs": left.needs.count(), "welfare": welfare, "welfare_kept": kept,
                   "welfare_erased": welfare - kept, "bookings": left.bookings.count(),
                   "teams_out": left.teams_out.count(), "tools_out": left.tools_out.count(),
                   "no_mail": left.bookings_without_mail},
        "handover": [DATASETS[slug] for slug in HANDOVER if DATASETS[slug].allowed(caps)],
        "may_print_cases": Cap.WELFARE in caps,
        "erasure_due_on": centre.erasure_due_on(), "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
    }, status=status)


@require_POST
@centre_view(Cap.MANAGE_CENTRE)
def reopen(request, centre):
    try:
        closing.reopen_centre(centre, by=request.user)
    except closing.ClosingError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("閉所を取り消し、センターを再開しました。"))
    return redirect("centre_close", centre=centre.slug)
