"""受付: recording a need (phone, counter, visit, web, referral, import) and editing it afterwards."""
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit, privacy
from ops.centres.models import Centre
from ops.events import emit
from ops.needs.models import Closure, Need, NeedStatus, NeedStatusChange
from ops.needs.services.errors import NeedError
from ops.needs.services.fields import clean_need_fields
from ops.needs.services.welfare import apply_welfare_flag
from ops.needs.state import need_state
from ops.needs.transitions import change_status


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _next_number(centre: Centre) -> int:
    """The centre's next need number. The caller holds the centre row locked, so two intakes queue here."""
    return (Need.objects.filter(centre=centre).aggregate(n=Max("number"))["n"] or 0) + 1


def record_need(*, centre: Centre, by=None, actor: str = "", welfare: str = Need.Welfare.NONE,
                welfare_note: str = "", duplicate_of: Need | None = None, not_duplicate_of=(),
                **fields) -> Need:
    """Record a new need in status 新規受付 with the centre's next number (N-0001, N-0002 ...).

    `duplicate_of`: staff decided this call is about a need already recorded; the new record is kept (the
    call happened) but closed as a duplicate and linked to the original. `not_duplicate_of`: the needs staff
    looked at and confirmed to be another household (written to the audit trail).
    """
    cleaned = clean_need_fields(fields)
    cleaned.setdefault("received_at", timezone.now())
    work_types = cleaned.pop("work_types", [])
    user = _user(by)
    if duplicate_of is not None and duplicate_of.centre_id != centre.pk:
        raise NeedError(_("重複元のニーズが見つかりません。"))
    with transaction.atomic(), audit.operation("need.created", by=user, actor=actor):
        # Locking the centre row serialises number allocation per centre (emit() takes the same lock).
        Centre.objects.select_for_update().filter(pk=centre.pk).values_list("pk", flat=True).get()
        need = Need(centre=centre, created_by=user, status=NeedStatus.NEW, **cleaned)
        need.number = _next_number(centre)
        try:
            with transaction.atomic():
                need.save()
        except IntegrityError as err:
            if Need.objects.filter(centre=centre, number=need.number).exists():  # a row made around the lock
                raise NeedError(_("受付番号の採番が重なりました。もう一度保存してください。")) from err
            raise
        need.work_types.set(work_types)
        NeedStatusChange.objects.create(need=need, from_status="", to_status=NeedStatus.NEW, by=user,
                                        actor=actor, reason=_("受付"))
        if welfare and (welfare != Need.Welfare.NONE or welfare_note.strip()):  # a note typed is never dropped
            apply_welfare_flag(need, kind=welfare, by=user, note=welfare_note)
        if not_duplicate_of:
            audit.changed(need, fields=["not_duplicate_of"], note=", ".join(n.label for n in not_duplicate_of))
        public = {"needs_received": 1}
        if duplicate_of is not None:
            need.duplicate_of = duplicate_of
            need.closure = Closure.DUPLICATE
            need.save(update_fields=["duplicate_of", "closure"])
            change_status(need, NeedStatus.CANCELLED, by=user, actor=actor,
                          reason=_("%(label)sと重複") % {"label": duplicate_of.label})
            public = None  # the original is the household's need; a repeat call is not a new one
        emit(centre, "need.created", {"need": need_state(need)}, public=public)
    return need


def update_need(need: Need, *, by=None, actor: str = "", **fields) -> Need:
    """Change a need's details (not its status: see set_status). Personal-data edits are audited by field
    name. Bumps the version so a board acting on an older copy is refused."""
    cleaned = clean_need_fields(fields, partial=True)
    work_types = cleaned.pop("work_types", None)
    user = _user(by)
    with transaction.atomic(), audit.operation("need.update", by=user, actor=actor):
        locked = Need.objects.select_for_update().get(pk=need.pk)
        changed = []
        for name, value in cleaned.items():
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        if work_types is not None and {w.pk for w in work_types} != set(locked.work_types.values_list("pk", flat=True)):
            locked.work_types.set(work_types)
            changed.append("work_types")
        if not changed:
            return locked
        locked.version = F("version") + 1
        locked.save()  # the save signal puts the changed fields on the trail; the work types are not a column
        locked.refresh_from_db()
        if "work_types" in changed:
            audit.changed(locked, fields=["work_types"])
        # Who asked and how to reach them (the registry's identity class): audited by field name, never broadcast.
        identity = privacy.fields_of(Need._meta.label, privacy.Kind.IDENTITY)
        emit(locked.centre_id, "need.changed", {"need": need_state(locked), "fields": sorted(
            set(changed) - identity - {"phone_normalised"})})
    need.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked
