"""The printable case summaries handed over when the centre closes (to the 生活支援相談員 / 地域支え合いセンター):
every open case, one per A4 page, and one case's summary. Welfare staff and administrators (after closing, the
administrator only: ops.permissions.AFTER_CLOSING). Each case printed is on the audit trail."""
from django.shortcuts import get_object_or_404, render

from ops import audit
from ops.permissions import Cap, centre_view
from ops.welfare import selectors


def _printed(request, centre, cases):
    for case in cases:
        audit.record(centre=centre, action="case.printed", obj=case, by=request.user)
    return render(request, "welfare/handover.html", {"cases": cases, "centre": centre, "today": centre.today()})


@centre_view(Cap.WELFARE)
def handover(request, centre):
    return _printed(request, centre, list(selectors.for_print(centre).open()))


@centre_view(Cap.WELFARE)
def summary(request, centre, pk):
    return _printed(request, centre, [get_object_or_404(selectors.for_print(centre), pk=pk)])
