"""Reads of the casework: the welfare page's lists (overdue first), one case with its log."""
from django.db.models import QuerySet

from ops.welfare.models import Case


def cases(centre, *, status: str = Case.Status.OPEN) -> QuerySet:
    qs = Case.objects.filter(centre=centre).select_related("household", "assignee", "need").prefetch_related("categories")
    if status in Case.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("priority", "next_check_on", "number")


def overdue(centre, day) -> QuerySet:
    """Open cases whose next check date has passed (the due-sweep mails their assignees)."""
    return cases(centre).filter(next_check_on__lt=day).order_by("next_check_on", "priority", "number")
