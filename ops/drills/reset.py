"""Resetting a drill (訓練) to its start in one action: every row the drill centre's day made goes, the centre's own
settings go back to what the opening gave them, and the scenario's starting point is written again
(`ops.drills.scenario.set_up`), so the next group of staff practises the same morning.

What belongs to the centre is found through the models' own relations to Centre and to its (practice) Disaster,
so a model added later is wiped without being named here; only what must outlive a reset is named (KEPT)."""
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext_lazy as _

from ops import audit, events
from ops.centres.models import Centre, Disaster
from ops.drills.models import Drill

# Kept through a reset, each for a reason:
# - the staff's memberships (and so their users): people practise in their roles again;
# - the Drill row: the run itself, set back to READY below;
# - the event outbox: the boards' log, whose per-centre sequence only ever grows (a board behind catches up
#   through it; the reset's own event tells every board to reload its snapshot);
# - the audit trail: who did what in the drill, and who reset it;
# - API tokens and the prefecture's staff: credentials and roles, like memberships.
KEPT = {"centres.membership", "centres.event", "centres.auditentry", "drills.drill", "api.apitoken",
        "prefecture.prefecturemembership", "centres.centre"}

# The centre's own fields that the opening chose (who and where it is) and those the system keeps counting:
# a reset leaves them. Every other field goes back to its default, as a newly opened centre has it, and then
# the scenario's setup writes what the scenario wants (hours, capacity, recruitment...).
OPENING_FIELDS = {"id", "disaster", "council", "name", "slug", "municipality", "prefecture", "address", "phone",
                  "lat", "lng", "timezone", "opened_on", "public_changed", "checkin_secret", "event_seq"}


class ResetRefused(Exception):
    """A reset that cannot be done (a real centre): nothing was written."""


def reset_drill(centre: Centre, *, by) -> Drill:
    """Put the drill centre back to its starting point: refuses a real centre before anything is written."""
    if not centre.is_drill:
        raise ResetRefused(_("実際のセンターはリセットできません。リセットできるのは訓練センターだけです。"))
    drill = Drill.objects.filter(centre=centre).first()
    if drill is None:
        raise ResetRefused(_("このセンターには訓練の記録がありません。"))
    from ops.drills import scenario

    try:
        plan = scenario.load(drill.scenario)
    except scenario.ScenarioError:  # its file was removed or broken since the opening: nothing is wiped
        raise ResetRefused(_("この訓練のシナリオファイルが読み込めないため、リセットできません。"
                             "管理者に確認してください。")) from None

    with transaction.atomic():
        drill = Drill.objects.select_for_update().get(pk=drill.pk)
        locked = Centre.objects.select_for_update().select_related("disaster").get(pk=centre.pk)
        with audit.operation("drill.reset", by=by, centre=locked):
            wipe(locked)
            _restore_centre(locked)
            _restart(drill)
            audit.changed(drill, fields=["status", "next_cue", "started_at", "paused_at", "paused_seconds",
                                         "finished_at"])
            scenario.set_up(locked, plan)
            events.emit(locked, "drill.reset", {"drill": drill.pk, "scenario": drill.scenario},
                        public={"drill_reset": True})
    centre.refresh_from_db()
    return drill


def owned_querysets(centre: Centre):
    """(model label, queryset) of every row that belongs to the drill centre or its practice disaster and is not
    KEPT, found through the models' relations (hidden ones too) to Centre and Disaster."""
    for model, owner in ((Centre, centre), (Disaster, centre.disaster)):
        for rel in model._meta.get_fields(include_hidden=True):
            if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
                continue
            label = rel.related_model._meta.label_lower
            if label in KEPT:
                continue
            qs = rel.related_model._default_manager.filter(**{rel.field.name: owner})
            yield label, _shared_rows_stay(rel.related_model, qs, centre)


def _shared_rows_stay(model, qs, centre: Centre):
    """A volunteer belongs to no one centre: one registered at the drill (or its disaster's registration point) goes
    only when they never came to, nor booked at, another centre. A real volunteer who checked in at the drill
    keeps their record and loses only the drill's rows (their attendance there is the centre's)."""
    from ops.volunteers.models import Volunteer

    if model is not Volunteer:
        return qs
    elsewhere = Q(attendances__in=_other_centres(centre, "attendances")) | Q(bookings__in=_other_centres(centre,
                                                                                                          "bookings"))
    return qs.exclude(pk__in=Volunteer.objects.filter(elsewhere).values("pk"))


def _other_centres(centre, relation):
    from ops.volunteers.models import Attendance, Booking

    model = {"attendances": Attendance, "bookings": Booking}[relation]
    return model.objects.exclude(centre=centre).values("pk")


def wipe(centre: Centre) -> dict[str, int]:
    """Delete the rows of owned_querysets with the ORM's own deletion (cascades, signals, the audit's delete rows).
    A PROTECT foreign key (a dispatch holds its need and team; a tool's ledger row, reached only through its kind,
    holds the kind) is met by deleting the protecting rows first: they point at the drill's rows, so they are the
    drill's too, and the refused queryset is tried again once they are gone. Also the run's cues."""
    Drill.objects.get(centre=centre).cues.all().delete()
    pending = list(owned_querysets(centre))
    counts: dict[str, int] = {}
    for _round in range(20):  # each round deletes what nothing protects any more; a cycle would stop it
        if not pending:
            return counts
        refused, protecting = [], {}
        for label, qs in pending:
            try:
                _, per_model = qs.delete()
            except ProtectedError as err:  # raised while collecting, before any row is deleted
                refused.append((label, qs))
                for row in err.protected_objects:
                    protecting.setdefault(type(row), set()).add(row.pk)
                continue
            for name, n in per_model.items():
                counts[name] = counts.get(name, 0) + n
        blocking = [(model._meta.label_lower, model._default_manager.filter(pk__in=pks))
                    for model, pks in protecting.items() if model._meta.label_lower not in KEPT]
        if len(refused) == len(pending) and not blocking:
            raise ProtectedError("a drill's rows are protected by rows a reset keeps", set())
        pending = blocking + refused
    raise ProtectedError("a drill's rows protect each other in a cycle", set())


def _restore_centre(centre: Centre) -> None:
    """The centre's settings as the opening left them: defaults, open, its 本部 at the pin (the opening's) and the
    welfare directory every new centre starts with (ops.welfare's seed on a centre created)."""
    from ops.centres.opening import make_headquarters
    from ops.welfare.services.cases import seed_directory

    changed = []
    for field in Centre._meta.concrete_fields:
        if field.name in OPENING_FIELDS or not field.has_default() and not field.null:
            continue
        value = field.get_default()
        if getattr(centre, field.attname) != value:
            setattr(centre, field.attname, value)
            changed.append(field.name)
    centre.status, centre.closed_on = Centre.Status.OPEN, None
    centre.save()
    audit.changed(centre, fields=changed)
    make_headquarters(centre)
    seed_directory(centre)


def _restart(drill: Drill) -> None:
    drill.status, drill.next_cue = Drill.Status.READY, 0
    drill.started_at = drill.paused_at = drill.finished_at = None
    drill.paused_seconds = 0
    drill.save()
