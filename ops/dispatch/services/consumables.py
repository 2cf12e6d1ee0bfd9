"""消耗品: drinks, masks, sandbags counted in and handed out (to a team or at the desk). What is on hand is the sum
of the movements; handing out locks the item's row, so two desks handing out the last boxes cannot both succeed."""
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit, days
from ops.dispatch.errors import StockError
from ops.dispatch.models import Consumable, ConsumableMovement, Team
from ops.dispatch.services.ledger import _clean_name, _clean_unit, whole_number

Reason = ConsumableMovement.Reason


def add_consumable(*, centre, name, unit="", quantity=0, note="", by=None) -> Consumable:
    name, unit = _clean_name(name), _clean_unit(unit)
    quantity = whole_number(quantity) if quantity not in (0, "0", "", None) else 0
    try:
        with transaction.atomic(), audit.operation("consumables.added", by=by, centre=centre):
            item = Consumable.objects.create(centre=centre, name=name, unit=unit)
            if quantity:
                _move(item, Reason.RECEIVED, quantity, on=centre.today(), note=note, by=by)
    except IntegrityError:
        raise StockError(_("「%(name)s」はすでに登録されています。") % {"name": name}) from None
    return item


def retire_consumable(*, item, by=None) -> Consumable:
    with transaction.atomic(), audit.operation("consumables.retired", by=by):
        item = Consumable.objects.select_for_update().get(pk=item.pk)
        item.retired_at = item.retired_at or timezone.now()
        item.save(update_fields=["retired_at"])
    return item


def receive(*, item, quantity, on=None, note="", by=None) -> ConsumableMovement:
    quantity = whole_number(quantity)
    with transaction.atomic(), audit.operation("consumables.received", by=by):
        item = Consumable.objects.select_for_update().select_related("centre").get(pk=item.pk)
        return _move(item, Reason.RECEIVED, quantity, on=_day(item, on), note=note, by=by)


def hand_out(*, item, quantity, team=None, on=None, note="", by=None) -> ConsumableMovement:
    """Hand `quantity` out to `team` (or at the desk: team None) on the centre's day `on` (default today)."""
    return _take(item, Reason.HANDED_OUT, quantity, team=team, on=on, note=note, by=by,
                 action="consumables.handed_out")


def write_off(*, item, quantity, note="", by=None) -> ConsumableMovement:
    """Spoiled, broken or miscounted: out of stock without being handed out."""
    return _take(item, Reason.WRITTEN_OFF, quantity, note=note, by=by, action="consumables.written_off")


def _take(item, reason, quantity, *, team=None, on=None, note="", by=None, action) -> ConsumableMovement:
    quantity = whole_number(quantity)
    with transaction.atomic(), audit.operation(action, by=by):
        item = Consumable.objects.select_for_update().select_related("centre").get(pk=item.pk)
        if item.retired_at is not None:
            raise StockError(_("「%(name)s」は使用を終了しています。") % {"name": item.name})
        if team is not None and team.centre_id != item.centre_id:
            raise StockError(_("別のセンターの班です。"))
        on_hand = item.on_hand()
        if quantity > on_hand:
            raise StockError(_("%(name)sの在庫が足りません（残り%(left)d）。") % {"name": item.name, "left": on_hand})
        return _move(item, reason, -quantity, team=team, on=_day(item, on), note=note, by=by)


def _day(item, on):
    """The centre's day the movement counts for: today unless given; never ahead, nor before the centre opened."""
    today = item.centre.today()
    if on in (None, ""):
        return today
    if on > today:
        raise StockError(_("先の日付には記録できません。"))
    opened = item.centre.opened_on
    if not days.in_range(on) or (opened is not None and on < opened):
        raise StockError(_("開設日より前の日付には記録できません。"))
    return on


def _move(item, reason, delta, *, on, team=None, note="", by=None) -> ConsumableMovement:
    return ConsumableMovement.objects.create(
        consumable=item, delta=delta, reason=reason, team=team if isinstance(team, Team) else None, on=on,
        note=str(note or "")[:200], by=by if getattr(by, "is_authenticated", False) else None)
