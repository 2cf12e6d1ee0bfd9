"""What boards know of a team: the state carried in events and snapshots. Never names or phones."""
from django.db.models import Sum


def team_state(team, *, need_id=None) -> dict:
    return {
        "id": team.pk,
        "label": team.label,
        "date": team.date.isoformat(),
        "status": team.status,
        "base_id": team.base_id,
        "size": team_people(team),
        "need_id": need_id,
        "expected_return_at": team.expected_return_at.isoformat() if team.expected_return_at else None,
    }


def team_people(team) -> int:
    """People in the team still at work: head counts (a group may check in as one attendance)."""
    total = team.members.filter(checked_out_at__isnull=True).aggregate(n=Sum("head_count"))["n"]
    return total or 0


def team_skills(team) -> frozenset[str]:
    """The declared skills (Volunteer.Skill codes) of the team's members still at work."""
    skills: set[str] = set()
    for declared in team.members.filter(checked_out_at__isnull=True).values_list("volunteer__skills", flat=True):
        skills.update(declared if isinstance(declared, list) else [])
    return frozenset(skills)
