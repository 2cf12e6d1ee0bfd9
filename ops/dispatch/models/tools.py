"""資機材 (kinds, their ledger, numbered items, loans to teams) and 消耗品 (consumables and their movements)."""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Centre
from ops.dispatch.models.teams import Team


def label_code() -> str:
    """A tool label's code: 12 url-safe characters (72 bits), unguessable, short enough for a small QR."""
    return secrets.token_urlsafe(9)



class EquipmentKindQuerySet(models.QuerySet):
    def lendable(self):
        """Kinds the desk may still lend (a retired kind keeps its history, and takes back what is out)."""
        return self.filter(retired_at__isnull=True)

    def with_stock(self):
        """Each kind with `out` (with teams now) and `available` (at the desk now: total less out)."""
        out = Sum(F("loans__quantity") - F("loans__returned_quantity"), filter=Q(loans__returned_at__isnull=True))
        return self.annotate(out=Coalesce(out, 0)).annotate(available=F("total") - F("out"))


class EquipmentKind(models.Model):
    """資機材 of one kind held by a centre (スコップ 80, 一輪車 20 ...).

    `total` (保有数) is the sum of the kind's ledger (EquipmentMovement.delta): received, donated, bought less
    broken, lost, given back. Only the ledger service (ops.dispatch.services.ledger) changes it, in the same
    transaction as the movement and under the kind's row lock, which lending takes too."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("資機材"), max_length=60)
    unit = models.CharField(_("単位"), max_length=10, blank=True, default="")
    total = models.PositiveIntegerField(_("保有数"))
    retired_at = models.DateTimeField(_("使用終了"), null=True, blank=True)
    # What the kind's printed QR label carries (ops.desk.codes): random, so a label says nothing off the desk.
    code = models.CharField(max_length=16, unique=True, default=label_code, editable=False)

    objects = EquipmentKindQuerySet.as_manager()

    class Meta:
        verbose_name = _("資機材")
        verbose_name_plural = _("資機材")
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="equipment_unique_name")]

    def __str__(self):
        return self.name

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def lent_out(self) -> int:
        """How many of this kind are out with teams right now."""
        row = self.loans.outstanding().aggregate(out=Sum(F("quantity") - F("returned_quantity")))
        return row["out"] or 0

    def in_stock(self) -> int:
        """How many are at the desk now, to lend or to write off."""
        return self.total - self.lent_out()

    def history(self):
        """Its ledger lines and loans in one time order (newest first), as rows of the same columns: `at`,
        `entry` ("movement" or "loan"), `quantity` (signed for movements), `reason`, `note`, `team_number`,
        `team_date`, `returned` (a loan's quantity back), `returned_at`, `by_id`."""
        text, number = models.CharField(), models.IntegerField()
        movements = self.movements.annotate(
            entry=Value("movement", output_field=text), quantity=F("delta"),
            team_number=Value(None, output_field=number), team_date=Value(None, output_field=models.DateField()),
            returned=Value(0, output_field=number),
            returned_on=Value(None, output_field=models.DateTimeField())).values_list(
            "at", "entry", "quantity", "reason", "note", "team_number", "team_date", "returned", "returned_on",
            "by_id", "pk")
        loans = self.loans.annotate(
            entry=Value("loan", output_field=text), reason=Value("", output_field=text),
            note=Value("", output_field=text), team_number=F("team__number"), team_date=F("team__date"),
            returned=F("returned_quantity"), returned_on=F("returned_at"), by_id=Value(None, output_field=number),
        ).values_list("lent_at", "entry", "quantity", "reason", "note", "team_number", "team_date", "returned",
                      "returned_on", "by_id", "pk")
        return movements.union(loans, all=True).order_by("-at", "-pk")


class EquipmentMovementQuerySet(models.QuerySet):
    def ledger(self, centre):
        """The centre's tool ledger in time order, with kind and author: what the tools page and exports read."""
        return (self.filter(kind__centre=centre).select_related("kind", "by").order_by("at", "pk"))


class EquipmentMovement(models.Model):
    """One line of the tool ledger (資機材台帳): stock received or written off. Loans are not movements: a
    tool with a team is still the centre's."""

    class Reason(models.TextChoices):
        RECEIVED = "received", _("受入")
        DONATED = "donated", _("寄贈")
        BOUGHT = "bought", _("購入")
        BORROWED = "borrowed", _("借用")
        BORROWED_RETURNED = "borrowed_returned", _("借用返却")
        BROKEN = "broken", _("廃棄・故障")
        LOST = "lost", _("紛失")
        OTHER_IN = "other_in", _("その他（受入）")
        OTHER_OUT = "other_out", _("その他（払出）")

    kind = models.ForeignKey(EquipmentKind, on_delete=models.PROTECT, related_name="movements",
                             verbose_name=_("資機材"))
    delta = models.IntegerField(_("増減"))
    reason = models.CharField(_("理由"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("記録者"))

    objects = EquipmentMovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("資機材の受入・払出")
        verbose_name_plural = _("資機材の受入・払出")
        constraints = [models.CheckConstraint(condition=~Q(delta=0), name="equipment_movement_not_zero")]

    @property
    def adds(self) -> bool:
        return self.delta > 0


INCOMING = frozenset({EquipmentMovement.Reason.RECEIVED, EquipmentMovement.Reason.DONATED,
                      EquipmentMovement.Reason.BOUGHT, EquipmentMovement.Reason.BORROWED,
                      EquipmentMovement.Reason.OTHER_IN})


class EquipmentLoanQuerySet(models.QuerySet):
    def outstanding(self):
        """Loans still open: tools come back only at the centre's tool desk (services.return_tools)."""
        return self.filter(returned_at__isnull=True)

    def ledger(self, centre):
        """Every loan of the centre's tools in time order, with kind and team (the history's other half)."""
        return self.filter(kind__centre=centre).select_related("kind", "team").order_by("lent_at", "pk")


class EquipmentItem(models.Model):
    """個体管理: one numbered tool of a kind with its own QR label (チェーンソー 3, 高圧洗浄機 1), lent and
    returned by scanning it. It is one of its kind's `total`; a loan of it has quantity 1 and names it."""

    kind = models.ForeignKey(EquipmentKind, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField(_("番号"))
    code = models.CharField(max_length=16, unique=True, default=label_code, editable=False)
    retired_at = models.DateTimeField(_("使用終了"), null=True, blank=True)

    class Meta:
        verbose_name = _("資機材（個体）")
        verbose_name_plural = _("資機材（個体）")
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="equipment_item_unique_number")]

    def __str__(self):
        return f"{self.kind.name} {self.number}"


class EquipmentLoan(models.Model):
    """Tools lent to a team; returned_quantity closes the loan (partly returned tools stay visible). A loan
    of a numbered item (EquipmentItem) is of that one item; an item is out with one team at a time."""

    kind = models.ForeignKey(EquipmentKind, on_delete=models.PROTECT, related_name="loans")
    item = models.ForeignKey(EquipmentItem, on_delete=models.PROTECT, null=True, blank=True, related_name="loans")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="loans")
    quantity = models.PositiveIntegerField(_("数量"))
    lent_at = models.DateTimeField(auto_now_add=True)
    returned_quantity = models.PositiveIntegerField(_("返却数"), default=0)
    returned_at = models.DateTimeField(null=True, blank=True)

    objects = EquipmentLoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("貸出")
        verbose_name_plural = _("貸出")
        constraints = [models.UniqueConstraint(fields=["item"], condition=Q(returned_at__isnull=True, item__isnull=False),
                                               name="equipment_item_out_once")]

    @property
    def still_out(self) -> int:
        return self.quantity - self.returned_quantity

    def overdue(self, centre, *, at=None) -> bool:
        """Still out after the return deadline (帰着期限) of the day it was lent."""
        at = at or timezone.now()
        return self.returned_at is None and at > centre.latest_return_at(centre.day_of(self.lent_at))


class ConsumableQuerySet(models.QuerySet):
    def in_use(self):
        return self.filter(retired_at__isnull=True)

    def with_on_hand(self, day=None):
        """Each consumable with `on_hand` (received less handed out and written off) and `handed_out`, both since
        the first count; with `day`, both as at the end of that day, and `handed_out_on_day`."""
        upto = Q(movements__on__lte=day) if day is not None else Q(pk__isnull=False)
        handed = Q(movements__reason=ConsumableMovement.Reason.HANDED_OUT)
        qs = self.annotate(on_hand=Coalesce(Sum("movements__delta", filter=upto), 0),
                           handed_out=Coalesce(Sum(-F("movements__delta"), filter=upto & handed), 0))
        if day is not None:
            qs = qs.annotate(handed_out_on_day=Coalesce(
                Sum(-F("movements__delta"), filter=handed & Q(movements__on=day)), 0))
        return qs


class Consumable(models.Model):
    """消耗品 (飲料・マスク・土のう袋 ...): counted in and handed out, never lent. What is on hand is the sum of
    its movements (Consumable.on_hand); the consumables service writes them under the row's lock."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="consumables")
    name = models.CharField(_("品名"), max_length=60)
    unit = models.CharField(_("単位"), max_length=10, blank=True, default="")
    retired_at = models.DateTimeField(_("使用終了"), null=True, blank=True)

    objects = ConsumableQuerySet.as_manager()

    class Meta:
        verbose_name = _("消耗品")
        verbose_name_plural = _("消耗品")
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="consumable_unique_name")]

    def __str__(self):
        return self.name

    def on_hand(self) -> int:
        return self.movements.aggregate(n=Sum("delta"))["n"] or 0


class ConsumableMovementQuerySet(models.QuerySet):
    def ledger(self, centre):
        """The centre's consumables in and out in time order (for the tools page and exports)."""
        return (self.filter(consumable__centre=centre).select_related("consumable", "team", "by")
                .order_by("at", "pk"))


class ConsumableMovement(models.Model):
    """Consumables counted in, handed out (to a team or at the desk) or written off, on a day of the centre."""

    class Reason(models.TextChoices):
        RECEIVED = "received", _("受入")
        HANDED_OUT = "handed_out", _("配布")
        WRITTEN_OFF = "written_off", _("廃棄")

    consumable = models.ForeignKey(Consumable, on_delete=models.PROTECT, related_name="movements",
                                   verbose_name=_("消耗品"))
    delta = models.IntegerField(_("増減"))
    reason = models.CharField(_("理由"), max_length=20, choices=Reason.choices)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="consumables",
                             verbose_name=_("班"))
    on = models.DateField(_("日付"), db_index=True)
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    at = models.DateTimeField(_("日時"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("記録者"))

    objects = ConsumableMovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("消耗品の受入・配布")
        verbose_name_plural = _("消耗品の受入・配布")
        constraints = [models.CheckConstraint(condition=~Q(delta=0), name="consumable_movement_not_zero")]
