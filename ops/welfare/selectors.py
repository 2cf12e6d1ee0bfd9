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


def for_print(centre) -> QuerySet:
    """Cases with everything their printed summary shows (the handover print, one case's summary): the
    household and its needs, categories, the whole contact log oldest first, referrals and consents."""
    from django.db.models import Prefetch

    from ops.welfare.models import Contact

    return (Case.objects.filter(centre=centre)
            .select_related("household", "assignee", "closed_by")
            .prefetch_related("categories", "household__needs",
                              Prefetch("contacts", queryset=Contact.objects.select_related("by").order_by("at", "pk")),
                              "referrals__agency", "referrals__consent", "consents__agency", "consents__recorded_by")
            .order_by("number"))
def assignable_staff(centre):
    """Who may hold a case: the centre's active welfare staff and administrators. The assignee list,
    update_case's check and the due-sweep all ask here. `centre` is a centre or its id."""
    from django.contrib.auth import get_user_model

    from ops.centres.models import Role

    return (get_user_model().objects.filter(is_active=True, memberships__centre=centre,
                                            memberships__role__in=(Role.WELFARE, Role.ADMIN))
            .distinct().order_by("first_name", "last_name", "username"))


def cases_filtered(centre, *, status: str = Case.Status.OPEN, assignee=None, category: str = "") -> QuerySet:
    """The list page's cases: by status, and optionally one assignee's and one category's."""
    qs = cases(centre, status=status)
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    if category:
        qs = qs.filter(categories__centre=centre, categories__code=category).distinct()
    return qs
