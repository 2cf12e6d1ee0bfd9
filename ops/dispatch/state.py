"""What boards know of a team: the state carried in events and snapshots. Never names or phones."""


def team_state(team, *, need_id=None) -> dict:
    return {
        "id": team.pk,
        "label": team.label,
        "date": team.date.isoformat(),
        "status": team.status,
        "base_id": team.base_id,
        "size": team.members.count(),
        "need_id": need_id,
        "expected_return_at": team.expected_return_at.isoformat() if team.expected_return_at else None,
    }
