"""Reads for the teams page, the map board and the slip. No writes here."""
from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from ops.dispatch.models import Dispatch, EquipmentKind, EquipmentLoan, Team
from ops.dispatch.services.dispatching import team_refusal
from ops.dispatch.services.teams import available_attendances
from ops.dispatch.transitions import IN_FIELD
from ops.volunteers.models import Attendance


def teams_of_day(centre, on):
    """The day's teams (not disbanded) with their size, leader, open loans and current dispatch."""
    return (Team.objects.filter(centre=centre, date=on).exclude(status=Team.Status.DISBANDED)
            .select_related("centre", "base", "leader__volunteer")
            .annotate(size=Sum("members__head_count", filter=Q(members__checked_out_at__isnull=True)))
            .with_active_dispatch()
            .prefetch_related(
                Prefetch("loans", queryset=EquipmentLoan.objects.outstanding().select_related("kind"),
                         to_attr="open_loans"),
                Prefetch("members", queryset=Attendance.objects.select_related("volunteer").order_by("pk"),
                         to_attr="member_list"))
            .order_by("number"))


def teams_now(centre, *, at=None) -> list[Team]:
    """The day's teams as the teams page and the board show them at `at` (now): each with `overdue`, and
    for a waiting team `refusal`, the dispatch service's reason it cannot leave (None when it can)."""
    at = at or timezone.now()
    teams = list(teams_of_day(centre, centre.day_of(at)))
    for team in teams:
        team.overdue = is_overdue(team, at)
        team.refusal = (team_refusal(team, at=at, people=team.size or 0) if team.status == Team.Status.READY
                        else None)
    return teams


def ready_teams(centre, on):
    return teams_of_day(centre, on).filter(status=Team.Status.READY)


def is_overdue(team, now=None) -> bool:
    now = now or timezone.now()
    return team.status in IN_FIELD and team.expected_return_at is not None and team.expected_return_at < now


def overdue_teams(centre, on, now=None):
    now = now or timezone.now()
    return teams_of_day(centre, on).filter(status__in=IN_FIELD, expected_return_at__lt=now)


def waiting_volunteers(centre, on):
    """Checked in, not in a team, not gone home: nobody should wait unseen."""
    return available_attendances(centre, on)


def equipment_stock(centre):
    """Each kind still lent, with how many are out and in stock (EquipmentKind.objects.with_stock)."""
    return EquipmentKind.objects.filter(centre=centre).lendable().with_stock().order_by("name")


def dispatch_by_slip(token: str):
    return (Dispatch.objects.select_related("centre", "team", "need", "team__leader__volunteer")
            .filter(slip_token=token).first())


def need_activities(need):
    """Each team sent to the need, with its report and the loans its team still has out (open_loans)."""
    return (need.dispatches.select_related("team", "report")
            .prefetch_related(Prefetch("team__loans", queryset=EquipmentLoan.objects.outstanding(),
                                       to_attr="open_loans"))
            .order_by("dispatched_at", "pk"))


def dispatches_of_day(centre, on):
    return (Dispatch.objects.filter(centre=centre, date=on).select_related("team", "need", "report")
            .order_by("-dispatched_at"))


def tools_held(centre):
    """Loans still out, by kind then oldest first: who holds what now (the tools page)."""
    return (EquipmentLoan.objects.outstanding().filter(kind__centre=centre)
            .select_related("kind", "team", "team__leader__volunteer").order_by("kind__name", "lent_at", "pk"))


def team_loans(team):
    """Every loan of the team (a team is one day's), out or back, oldest first, with kind and numbered item:
    the slip's list of what the team took and the tool desk's."""
    return EquipmentLoan.objects.filter(team=team).select_related("kind", "item").order_by("lent_at", "pk")
