"""What boards know of a need: the state carried in events and snapshots. Never names, phones or addresses; the
exact position and the welfare flag are in it as written, and ops.events / the staff snapshot give each audience
what the registry (ops.privacy) lets it see of them."""


def need_state(need) -> dict:
    return {
        "id": need.pk,
        "label": need.label,
        "status": need.status,
        "lat": need.lat,
        "lng": need.lng,
        "district": need.district,
        "priority": need.priority,
        "people_needed": need.people_needed,
        "work_types": sorted(wt.code for wt in need.work_types.all()),
        "welfare": need.welfare != "none",
    }
