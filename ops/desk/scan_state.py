"""What the 受付スキャン desk shows of its draft (a read): the need by number, work and head count (never the
resident's name, phone or address), and the people scanned: name, age band, skills, group."""
from django.utils.translation import gettext as _

from ops.desk.services import scan as desk
from ops.dispatch.services import skill_refusal


def desk_state(draft) -> dict:
    if draft is None:
        return {"need": None, "members": [], "heads": 0, "leader": None, "groups": [], "warning": "",
                "ready": False}
    members = desk.members_of(draft)
    leader = desk.leader_of(draft, members) if members else None
    need = draft.need
    warning = ""
    if need is not None and members:
        skills = frozenset(s for a in members for s in (a.volunteer.skills or []))
        warning = skill_refusal(None, need, skills=skills) or ""
    return {
        "need": _need(need) if need is not None else None,
        "members": [_member(a, leader) for a in members],
        "heads": desk.heads(members),
        "leader": leader.pk if leader else None,
        "groups": _groups(draft, members),
        "warning": warning,
        "ready": bool(need is not None and members),
    }


def _need(need) -> dict:
    return {"id": need.pk, "label": need.label, "people_needed": need.people_needed,
            "already": need.dispatches.active().people(),
            "work": [str(wt) for wt in need.work_types.all()]}


def _member(a, leader) -> dict:
    v = a.volunteer
    return {"id": a.pk, "name": v.name, "age": v.get_age_band_display(), "skills": v.skill_labels,
            "group": v.group.name if v.group_id else "", "heads": a.head_count or 1,
            "leader": leader is not None and a.pk == leader.pk}


def _groups(draft, members) -> list[dict]:
    """Groups of the people scanned, with how many of theirs are still free: "同じ団体の未編成の人: N人"."""
    seen = {}
    for a in members:
        if a.volunteer.group_id and a.volunteer.group_id not in seen:
            seen[a.volunteer.group_id] = a.volunteer.group.name
    out = []
    for gid, name in seen.items():
        rest = desk.group_rest_count(draft, gid)
        if rest:
            out.append({"id": gid, "name": name, "rest": rest,
                        "words": _("同じ団体の未編成の人: %(n)d人") % {"n": rest}})
    return out
