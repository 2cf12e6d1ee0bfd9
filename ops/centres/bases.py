"""Bases (本部 / サテライト: where teams leave from) and the dates whose capacity differs from the standing one
(CapacityDay: a weekend, a closed day). Validated, saved and audited in one transaction; a capacity change is
announced to the boards (`capacity.changed`: the public board reloads its days) and ordered against bookings on
the centre's row lock, so a booking never counts against a figure that is being replaced."""
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.centres import public
from ops.centres.models import Base, CapacityDay, Centre
from ops.centres.services import MAX_CAPACITY, CentreSettingError, centre_state, coordinate
from ops.events import emit

CAPACITY_DAYS_AHEAD = 366


def save_base(centre: Centre, *, base: Base | None = None, name: str, kind: str, address: str, lat, lng,
              daily_capacity, by=None) -> Base:
    """Add a base (base None) or change one of the centre's."""
    name, address = (name or "").strip(), (address or "").strip()
    if not name or len(name) > 80:
        raise CentreSettingError(_("拠点名を80文字以内で入力してください。"), "name")
    if kind not in Base.Kind.values:
        raise CentreSettingError(_("種別の値が正しくありません。"), "kind")
    if len(address) > 200:
        raise CentreSettingError(_("所在地は200文字までです。"), "address")
    lat, lng = coordinate(lat, 90, "lat"), coordinate(lng, 180, "lng")
    capacity = _capacity(daily_capacity, "daily_capacity", blank=True)
    values = {"name": name, "kind": kind, "address": address, "lat": lat, "lng": lng, "daily_capacity": capacity}
    with transaction.atomic():
        if base is None:
            base = Base.objects.create(centre=centre, **values)
            audit.record(centre=centre, action="base.created", obj=base, by=by, fields=list(values))
            _bases_changed(centre)
            return base
        base = Base.objects.select_for_update().get(pk=base.pk, centre=centre)
        changed = [k for k, v in values.items() if getattr(base, k) != v]
        if changed:
            for field in changed:
                setattr(base, field, values[field])
            base.save(update_fields=changed)
            audit.record(centre=centre, action="base.updated", obj=base, by=by, fields=changed)
            if "daily_capacity" in changed:
                _announce(centre, None)
            if set(changed) - {"daily_capacity"}:
                _bases_changed(centre)
    return base


def retire_base(base: Base, *, retired: bool = True, by=None) -> Base:
    """Retire a base (or bring it back). It is never deleted: teams, attendances and bookings name it."""
    with transaction.atomic():
        base = Base.objects.select_for_update().get(pk=base.pk)
        if (base.retired_at is not None) == retired:
            return base
        if retired and base.kind == Base.Kind.HQ and not Base.objects.filter(centre_id=base.centre_id).active().filter(
                kind=Base.Kind.HQ).exclude(pk=base.pk).exists():
            raise CentreSettingError(_("本部を廃止するには、先に別の拠点を本部にしてください。"))
        base.retired_at = timezone.now() if retired else None
        base.save(update_fields=["retired_at"])
        audit.record(centre=base.centre_id, action="base.retired" if retired else "base.restored", obj=base,
                     by=by, fields=["retired_at"])
        _bases_changed(base.centre)
    return base


def upcoming_capacity_days(centre: Centre):
    return (CapacityDay.objects.filter(centre=centre, date__gte=centre.today())
            .select_related("base").order_by("date", "base_id"))


def set_capacity_day(centre: Centre, *, day: date, base: Base | None = None, capacity, closed: bool,
                     note: str = "", by=None) -> CapacityDay:
    """Set one date's capacity of the centre (base None) or of a base, or close that date (休止日).
    Setting a date again replaces its figure."""
    today = centre.today()
    if not isinstance(day, date) or not today <= day <= today + timedelta(days=CAPACITY_DAYS_AHEAD):
        raise CentreSettingError(_("日付は今日から1年以内で指定してください。"), "date")
    if base is not None and not Base.objects.active().filter(pk=base.pk, centre=centre).exists():
        raise CentreSettingError(_("拠点の指定が正しくありません。"), "base")
    closed = bool(closed)
    capacity = None if closed else _capacity(capacity, "capacity", blank=False)
    note = (note or "").strip()
    if len(note) > 200:
        raise CentreSettingError(_("メモは200文字までです。"), "note")
    with transaction.atomic():
        Centre.objects.select_for_update().filter(pk=centre.pk).first()  # ordered against bookings (capacity.py)
        row, created = CapacityDay.objects.update_or_create(
            centre=centre, base=base, date=day, defaults={"capacity": capacity, "closed": closed, "note": note})
        audit.record(centre=centre, action="capacity_day.set", obj=row, by=by,
                     fields=["date", "capacity", "closed", "note"] + (["base"] if base else []))
        _announce(centre, day)
    return row


def clear_capacity_day(centre: Centre, *, pk: int, by=None) -> None:
    """Back to the standing capacity on that date."""
    with transaction.atomic():
        Centre.objects.select_for_update().filter(pk=centre.pk).first()
        row = CapacityDay.objects.filter(centre=centre, pk=pk).first()
        if row is None:
            raise CentreSettingError(_("日別の設定が見つかりません。"))
        audit.record(centre=centre, action="capacity_day.cleared", obj=row, by=by, fields=["capacity", "closed"])
        row.delete()
        _announce(centre, row.date)


def _announce(centre: Centre, day: date | None) -> None:
    """The public board reloads its days (their capacity and places left) on this event."""
    public.touch(centre, "days")
    changed = {"capacity": {"date": day.isoformat() if day else None}}
    emit(centre, "capacity.changed", changed, public=changed)


def _bases_changed(centre: Centre) -> None:
    """The public information lists the active bases with their addresses: stamp it and tell the boards."""
    public.touch(centre, "bases")
    centre = Centre.objects.get(pk=centre.pk)
    state = centre_state(centre)
    emit(centre, "centre.changed", {"centre": state}, public={"centre": state})


def _capacity(value, field: str, *, blank: bool) -> int | None:
    if value in (None, "") and blank:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CentreSettingError(_("受入上限は数字で入力してください。"), field) from None
    if not 0 <= number <= MAX_CAPACITY:
        raise CentreSettingError(_("受入上限は0から100000の間で入力してください。"), field)
    return number

