"""Demo data for `make run`: the centre's tools and a morning's teams, built through the real services from
the demo volunteers and needs (some teams in the field, one overdue, one back with its report, the rest
waiting). Idempotent: nothing is added when today's teams already exist."""
from datetime import date, time, timedelta

from django.utils import timezone

from ops.dispatch.errors import DispatchError
from ops.dispatch.models import EquipmentKind, Team
from ops.dispatch.services import dispatch, file_return_report, form_team, lend_tools, propose_teams
from ops.needs.models import Need, NeedStatus

EQUIPMENT = [
    ("角スコップ", 60), ("剣先スコップ", 40), ("一輪車", 20), ("土のう袋", 500), ("バール", 12),
    ("デッキブラシ", 30), ("高圧洗浄機", 4), ("ブルーシート", 50), ("バケツ", 40), ("じょれん", 15),
]
TEAMS = 8
WORK_DONE = "床下の泥出し（6畳2間）、濡れた畳8枚を搬出。土のう40袋を集積所へ。"


def seed(centre, today: date) -> None:
    for name, total in EQUIPMENT:
        EquipmentKind.objects.get_or_create(centre=centre, name=name, defaults={"total": total})
    if Team.objects.filter(centre=centre, date=today).exists():
        return
    waiting = centre.attendances.filter(date=today, team__isnull=True, checked_out_at__isnull=True).count()
    if not waiting:
        return
    size = max(3, min(6, waiting // TEAMS or 3))
    teams = []
    for proposal in propose_teams(centre, today, size)[:TEAMS]:
        teams.append(form_team(centre=centre, on=today, members=proposal.members, leader=proposal.leader,
                               base=proposal.base_id, vehicle="軽トラック" if proposal.count("driver") else ""))
    _send_out(centre, today, teams)


def _local(centre, today, hour, minute=0):
    return centre.at(today, time(hour, minute))


def _send_out(centre, today, teams) -> None:
    """Half the teams go out in the morning; the first is overdue, the second is already back."""
    now = timezone.now()
    start_of_day = _local(centre, today, 0, 5)
    morning = max(start_of_day, min(_local(centre, today, 9, 30), now - timedelta(minutes=30)))
    needs = list(Need.objects.filter(centre=centre, status__in=[NeedStatus.READY, NeedStatus.CONTINUING],
                                     lat__isnull=False).order_by("priority", "received_at"))
    shovels = EquipmentKind.objects.filter(centre=centre, name="角スコップ").first()
    sent = 0
    for team in teams[: len(teams) // 2 + 1]:
        need = next((n for n in needs if n.people_needed >= _size(team)), None)
        if need is None:
            continue
        needs.remove(need)
        overdue = sent == 0
        at, due = morning, None
        if overdue:  # left early with a short job, and is late back
            at = max(start_of_day, min(_local(centre, today, 8, 45), now - timedelta(hours=2)))
            due = max(at + timedelta(minutes=30), now - timedelta(minutes=20))
        try:
            if shovels:
                lend_tools(team=team, kind=shovels, quantity=min(_size(team), 5))
            record = dispatch(team, need, at=at, return_by=due)
        except DispatchError:
            continue
        if sent == 1:
            file_return_report(record, outcome="completed", people=record.people, hours="3.5",
                               work_done=WORK_DONE, near_miss="床板を外した所で足を踏み外しかけた。", via="staff")
        sent += 1


def _size(team) -> int:
    from ops.dispatch.state import team_people

    return team_people(team)
