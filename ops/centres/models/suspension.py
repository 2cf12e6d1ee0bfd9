"""活動中止: a centre's day (or its afternoon) suspended."""
from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ops.centres.models.centre import Centre


class SuspensionQuerySet(models.QuerySet):
    def active(self):
        """Not lifted: a lifted suspension stays on record and counts nowhere."""
        return self.filter(lifted_at__isnull=True)

    def on(self, centre, day: date) -> "Suspension | None":
        """The day's suspension (活動中止) of the centre, whether in force yet or from a later hour; None."""
        return self.active().filter(centre=centre, date=day).first()

    def in_force(self, centre, moment: datetime) -> "Suspension | None":
        """The suspension that stops activity at `moment` (the whole day, or from its hour on), or None."""
        suspension = self.on(centre, centre.day_of(moment))
        return suspension if suspension is not None and suspension.in_force_at(moment) else None


# The day's suspension as committed, for a service's read under the centre's lock (ops.events.emit's
# `locked_read`): a dispatch that waited on the lock while staff suspended sees the suspension and is refused.
SUSPENSION_LOCKED_SQL = ("SELECT 1, starts_at FROM centres_suspension WHERE centre_id = %(s_centre)s "
                         "AND date = %(s_date)s AND lifted_at IS NULL")


class Suspension(models.Model):
    """活動中止: the centre stops activity for a whole day or from an hour of it (a heat alert, heavy rain, an
    aftershock). While in force nobody checks in and no team leaves; teams out are called back by their slip
    page; a whole day takes no new booking. Lifting it (a mistake, the rain passed) restores the day: bookings
    were never cancelled. Written only by ops.centres.suspension."""

    class Reason(models.TextChoices):
        HEAT_ALERT = "heat_alert", _("熱中症警戒アラート")
        HEAVY_RAIN = "heavy_rain", _("大雨")
        AFTERSHOCK = "aftershock", _("余震")
        OTHER = "other", _("その他")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="suspensions",
                               verbose_name=_("センター"))
    date = models.DateField(_("日付"))
    # None: the whole day. Otherwise activity stops at this hour on the centre's clock.
    starts_at = models.TimeField(_("中止する時刻"), null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=12, choices=Reason.choices)
    # Public: shown on the public board, the slips and in the mails; never names anyone.
    note = models.CharField(_("お知らせ（公開）"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    lifted_at = models.DateTimeField(_("解除日時"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("活動中止")
        verbose_name_plural = _("活動中止")
        ordering = ["date", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "date"], condition=models.Q(lifted_at__isnull=True),
                                    name="suspension_one_active_a_day"),
        ]

    def __str__(self):
        return f"{self.date} {self.starts_at or ''} {self.reason}"

    @staticmethod
    def locked_read(centre, day: date) -> tuple[str, dict]:
        return SUSPENSION_LOCKED_SQL, {"s_centre": centre.pk, "s_date": day}

    @staticmethod
    def stops_in_row(row, clock: time) -> bool:
        """Whether the row of `locked_read` (None: no suspension that day) stops activity at `clock`."""
        if row is None:
            return False
        starts_at = time.fromisoformat(row[1]) if isinstance(row[1], str) else row[1]  # SQLite: text
        return starts_at is None or clock >= starts_at

    @property
    def whole_day(self) -> bool:
        return self.starts_at is None

    def when_label(self) -> str:
        """'終日' or '13:00から', in the active language (the mails, the check-in refusal, the staff page)."""
        if self.whole_day:
            return gettext("終日")
        return gettext("%(time)sから") % {"time": self.starts_at.strftime("%H:%M")}

    def starts(self) -> datetime:
        """The moment activity stops (the day's start for a whole day), on the centre's clock."""
        return self.centre.at(self.date, self.starts_at or time.min)

    def in_force_at(self, moment: datetime) -> bool:
        return self.lifted_at is None and self.centre.day_of(moment) == self.date and moment >= self.starts()

    def public_state(self) -> dict:
        """What any board, slip or feed may know: no one's name (created_by stays on the staff side)."""
        return {"id": self.pk, "date": self.date.isoformat(),
                "starts_at": self.starts_at.strftime("%H:%M") if self.starts_at else None,
                "reason": self.reason, "note": self.note}
