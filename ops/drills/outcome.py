"""What the staff made of what the drill played: each call or walk-in (電話・来所相談) is linked to the need the
intake staff typed from it. The player links what it made itself (the volunteers who arrived, the web requests);
a call becomes a need only when a person types it into the real intake page, so it is matched afterwards by the
caller's phone (ops.normalise.phone_key, as the intake's duplicate check compares them)."""
from ops.drills.models import Cue, Drill
from ops.needs.models import Need
from ops.normalise import phone_key

TYPED_BY_STAFF = (Cue.Kind.CALL, Cue.Kind.WALK_IN)


def link_cues(drill: Drill) -> int:
    """Link each unlinked call or walk-in cue to the first need at the drill's centre with the caller's phone
    received at or after the cue was played. Idempotent: a linked cue keeps its need, and a need already
    linked to one cue is not given to another (two calls from one number are two needs). Returns how many
    cues it linked now."""
    cues = list(drill.cues.filter(kind__in=TYPED_BY_STAFF).order_by("played_at", "index"))
    taken = {cue.need_id for cue in drill.cues.exclude(need=None)}
    linked = 0
    for cue in cues:
        if cue.need_id is not None:
            continue
        key = phone_key((cue.detail or {}).get("phone", ""))
        if not key:
            continue
        need = (Need.objects.filter(centre_id=drill.centre_id, phone_normalised=key, received_at__gte=cue.played_at)
                .exclude(pk__in=taken).order_by("received_at", "pk").first())
        if need is None:
            continue
        Cue.objects.filter(pk=cue.pk, need=None).update(need=need)
        cue.need = need
        taken.add(need.pk)
        linked += 1
    return linked
