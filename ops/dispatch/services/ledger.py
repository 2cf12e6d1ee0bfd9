"""資機材台帳: kinds of tools and the stock movements that make each kind's total. Every write locks the kind's row,
the lock lending takes too (services.equipment), so stock written off and tools lent at the same moment can never
take the desk below zero."""
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.dispatch.errors import StockError
from ops.dispatch.models import INCOMING, EquipmentItem, EquipmentKind, EquipmentLoan, EquipmentMovement

MAX_QUANTITY = 100_000


def whole_number(quantity, *, error=StockError, most=MAX_QUANTITY) -> int:
    """A typed quantity as 1..most, or a refusal in words."""
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise error(_("数量は数字で入力してください。")) from None
    if not 1 <= quantity <= most:
        raise error(_("数量は1〜%(n)dで入力してください。") % {"n": most})
    return quantity


def _printable(text: str) -> str:
    if any(ord(c) < 32 for c in text):
        raise StockError(_("使えない文字が含まれています。"))
    return text


def _clean_name(name) -> str:
    name = _printable(" ".join(str(name or "").split()))
    if not name:
        raise StockError(_("名前を入力してください。"))
    if len(name) > 60:
        raise StockError(_("名前は60文字以内で入力してください。"))
    return name


def _clean_unit(unit) -> str:
    unit = _printable(" ".join(str(unit or "").split()))
    if len(unit) > 10:
        raise StockError(_("単位は10文字以内で入力してください。"))
    return unit


def add_kind(*, centre, name, unit="", quantity=0, reason=EquipmentMovement.Reason.RECEIVED, note="",
             by=None) -> EquipmentKind:
    """A new kind of tool, with its first stock (quantity 0: none yet)."""
    name, unit = _clean_name(name), _clean_unit(unit)
    quantity = whole_number(quantity) if quantity not in (0, "0", "", None) else 0
    try:
        with transaction.atomic(), audit.operation("tools.kind_added", by=by, centre=centre):
            kind = EquipmentKind.objects.create(centre=centre, name=name, unit=unit, total=0)
            if quantity:
                _move(kind, reason=reason, quantity=quantity, note=note, by=by)
    except IntegrityError:
        raise StockError(_("「%(name)s」はすでに登録されています。") % {"name": name}) from None
    return kind


def rename_kind(*, kind, name, unit="", by=None) -> EquipmentKind:
    name, unit = _clean_name(name), _clean_unit(unit)
    try:
        with transaction.atomic(), audit.operation("tools.kind_renamed", by=by):
            kind = EquipmentKind.objects.select_for_update().get(pk=kind.pk)
            kind.name, kind.unit = name, unit
            kind.save(update_fields=["name", "unit"])
    except IntegrityError:
        raise StockError(_("「%(name)s」はすでに登録されています。") % {"name": name}) from None
    return kind


def retire_kind(*, kind, by=None) -> EquipmentKind:
    """No longer lent (worn out, given back, replaced). The history stays; tools still out may come back."""
    with transaction.atomic(), audit.operation("tools.kind_retired", by=by):
        kind = EquipmentKind.objects.select_for_update().get(pk=kind.pk)
        if kind.retired_at is None:
            kind.retired_at = timezone.now()
            kind.save(update_fields=["retired_at"])
    return kind


def reinstate_kind(*, kind, by=None) -> EquipmentKind:
    with transaction.atomic(), audit.operation("tools.kind_reinstated", by=by):
        kind = EquipmentKind.objects.select_for_update().get(pk=kind.pk)
        if kind.retired_at is not None:
            kind.retired_at = None
            kind.save(update_fields=["retired_at"])
    return kind


def record_movement(*, kind, reason, quantity, note="", by=None) -> EquipmentMovement:
    """Stock in (受入・寄贈・購入・借用) or out (借用返却・廃棄・故障・紛失). What goes out must be at the desk now:
    tools with a team are written off after they come back (or lost: back at the desk as lost)."""
    if reason not in EquipmentMovement.Reason.values:
        raise StockError(_("理由を選んでください。"))
    quantity = whole_number(quantity)
    with transaction.atomic(), audit.operation("tools.stock_moved", by=by):
        kind = EquipmentKind.objects.select_for_update().get(pk=kind.pk)
        return _move(kind, reason=reason, quantity=quantity, note=note, by=by)


def _move(kind, *, reason, quantity, note, by) -> EquipmentMovement:
    """Inside the transaction, with the kind's row locked."""
    delta = quantity if reason in INCOMING else -quantity
    if delta < 0:
        at_desk = kind.in_stock()
        if quantity > at_desk:
            raise StockError(_("%(name)sは資機材受付に%(n)dしかありません（貸出中のものは戻ってから記録してください）。")
                             % {"name": kind.name, "n": at_desk})
        numbered = kind.items.filter(retired_at__isnull=True).count()
        if kind.total + delta < numbered:
            raise StockError(_("%(name)sは番号付きが%(n)dあります。先に払い出す番号を使用終了にしてください。")
                             % {"name": kind.name, "n": numbered})
    movement = EquipmentMovement.objects.create(kind=kind, delta=delta, reason=reason, note=str(note or "")[:200],
                                                by=by if getattr(by, "is_authenticated", False) else None)
    kind.total += delta
    kind.save(update_fields=["total"])
    return movement


# --- 個体管理: numbered items of a kind, each with its own QR label -----------------------------------------

MAX_ITEMS = 500  # numbered at once


def add_items(*, kind, count, by=None) -> list[EquipmentItem]:
    """Number `count` more items of `kind` (1, 2, 3 ... after the last number used, retired ones included, so a
    number is never worn by two tools). Numbered items in use never exceed the kind's total."""
    count = whole_number(count, most=MAX_ITEMS)
    with transaction.atomic(), audit.operation("tools.items_numbered", by=by, centre=kind.centre_id):
        kind = EquipmentKind.objects.select_for_update().get(pk=kind.pk)
        if kind.retired_at is not None:
            raise StockError(_("%(name)sは使用を終了しています。") % {"name": kind.name})
        numbered = kind.items.filter(retired_at__isnull=True).count()
        if numbered + count > kind.total:
            raise StockError(_("%(name)sの保有数は%(total)dで、番号付きはすでに%(n)dです（あと%(left)dまで）。")
                             % {"name": kind.name, "total": kind.total, "n": numbered,
                                "left": max(0, kind.total - numbered)})
        last = kind.items.aggregate(last=Max("number"))["last"] or 0
        return [EquipmentItem.objects.create(kind=kind, number=last + i) for i in range(1, count + 1)]


def retire_item(*, item, by=None) -> EquipmentItem:
    """A numbered item no longer lent (its label no longer works at the desk). It must be back first; the kind's
    stock is written off apart (record_movement), as for any tool."""
    with transaction.atomic(), audit.operation("tools.item_retired", by=by):
        EquipmentKind.objects.select_for_update().get(pk=item.kind_id)
        item = EquipmentItem.objects.select_related("kind").get(pk=item.pk)
        out = EquipmentLoan.objects.outstanding().filter(item=item).select_related("team").first()
        if out is not None:
            raise StockError(_("%(item)sは%(team)sに貸出中です。戻ってから使用終了にしてください。")
                             % {"item": item, "team": out.team.label})
        if item.retired_at is None:
            item.retired_at = timezone.now()
            item.save(update_fields=["retired_at"])
    return item
