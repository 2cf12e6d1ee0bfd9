"""The welfare staff's pages: the case list (overdue checks first) and a case with its log."""
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from ops import audit
from ops.messages.models import OutboundMail
from ops.messages.selectors import latest_about
from ops.permissions import Cap, centre_view
from ops.welfare import selectors
from ops.welfare.models import Case

PAGE_SIZE = 50


@centre_view(Cap.WELFARE)
def case_list(request, centre):
    status = request.GET.get("status", Case.Status.OPEN)
    today = centre.today()
    page = Paginator(selectors.cases(centre, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    # A 危機介入 alert is about the need that raised it: its state (sent, failed, unknown) shows on the row.
    alerts = latest_about([c.need for c in page if c.need_id], kind=OutboundMail.Kind.CRISIS_ALERT)
    for case in page:
        case.alert = alerts.get(case.need_id)
    return render(request, "welfare/list.html", {
        "page": page, "status": status, "statuses": Case.Status.choices, "today": today,
        "overdue": selectors.overdue(centre, today),
    })


@centre_view(Cap.WELFARE)
def case_detail(request, centre, pk):
    case = get_object_or_404(Case.objects.select_related("household", "assignee", "need"), centre=centre, pk=pk)
    # Every read of a case is on the trail (who looked at this household, when).
    audit.record(centre=centre, action="case.read", obj=case, by=request.user)
    return render(request, "welfare/case.html", {
        "case": case, "today": centre.today(),
        "contacts": case.contacts.select_related("by"),
        "consents": case.consents.select_related("agency", "recorded_by"),
        "referrals": case.referrals.select_related("agency", "consent"),
    })
