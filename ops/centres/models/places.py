"""Where a centre works from (its bases) and a date's own capacity."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from ops.centres.models.centre import Centre


class BaseQuerySet(models.QuerySet):
    def active(self):
        """Bases offered for new teams, bookings and check-ins; a retired base stays for the records naming it."""
        return self.filter(retired_at__isnull=True)


class Base(models.Model):
    """A dispatch origin: the headquarters (本部) or a satellite (サテライト)."""

    class Kind(models.TextChoices):
        HQ = "hq", _("本部")
        SATELLITE = "satellite", _("サテライト")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="bases", verbose_name=_("センター"))
    name = models.CharField(_("拠点名"), max_length=80)
    kind = models.CharField(_("種別"), max_length=10, choices=Kind.choices, default=Kind.SATELLITE)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    lat = models.FloatField(_("緯度"))
    lng = models.FloatField(_("経度"))
    daily_capacity = models.PositiveIntegerField(_("1日の受入上限"), null=True, blank=True)
    # Retired bases stay (teams, attendances and bookings refer to them) but are offered nowhere new.
    retired_at = models.DateTimeField(_("廃止日時"), null=True, blank=True)

    objects = BaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("拠点")
        verbose_name_plural = _("拠点")
        ordering = ["kind", "id"]

    def __str__(self):
        return self.name


class CapacityDay(models.Model):
    """One date's capacity (日別の受入上限) of the centre (no base) or of one base, instead of the standing
    figure: a weekend with more places, a day with fewer, or a closed day (休止日) with none.
    Read by ops.volunteers.services.capacity, the one home of places left."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="capacity_days",
                               verbose_name=_("センター"))
    base = models.ForeignKey(Base, on_delete=models.CASCADE, null=True, blank=True, related_name="capacity_days",
                             verbose_name=_("拠点"))
    date = models.DateField(_("日付"))
    capacity = models.PositiveIntegerField(_("受入上限"), null=True, blank=True)
    closed = models.BooleanField(_("休止日"), default=False)
    note = models.CharField(_("メモ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("日別の受入上限")
        verbose_name_plural = _("日別の受入上限")
        ordering = ["date", "base_id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "date"], condition=models.Q(base__isnull=True),
                                    name="capacityday_centre_once"),
            models.UniqueConstraint(fields=["base", "date"], condition=models.Q(base__isnull=False),
                                    name="capacityday_base_once"),
            models.CheckConstraint(condition=models.Q(closed=True) | models.Q(capacity__isnull=False),
                                   name="capacityday_capacity_or_closed"),
        ]

    def __str__(self):
        return f"{self.date} {self.base or self.centre}"
