"""The prefecture's level above the centres of one disaster (県社協の災害ボランティア支援本部).

- `PrefectureMembership`: a prefectural council's staff member for one disaster (the 県域 role).
- `Offering` (受入枠): one centre's places on one date, opened by the prefecture; volunteers apply for it and
  the places are allocated first-come or by a fair draw (`ops.prefecture.services.allocation`).
- `Application` (応募): one volunteer's request for one offering, with its outcome and, when they come by bus,
  their seat.
- `BusDeparture` (ボランティアバス): a bus from a hub to a centre on a date, with its seats.
"""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Centre, Disaster


def new_seed() -> str:
    """An offering's draw seed: 16 hex digits, short enough to read out at a meeting."""
    return secrets.token_hex(8)


class PrefectureMembership(models.Model):
    """A prefectural council's staff member (県社協職員) for one disaster: sees every centre of it, in figures
    and by district (never a household), changes recruitment across them, runs the offerings and the buses.
    Decided in ops.permissions (`may_run_prefecture`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prefecture_roles")
    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="prefecture_staff")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("県域スタッフ")
        verbose_name_plural = _("県域スタッフ")
        constraints = [models.UniqueConstraint(fields=["user", "disaster"], name="prefecture_membership_once")]

    def __str__(self):
        return f"{self.user} @ {self.disaster}"


class OfferingQuerySet(models.QuerySet):
    def of_disaster(self, disaster):
        return self.filter(centre__disaster=disaster)

    def with_counts(self):
        """Each offering with its applications by outcome: applied, allocated, waiting (one query)."""
        live = ~Q(applications__status=Application.Status.CANCELLED)
        return self.annotate(
            applied_n=Count("applications", filter=live),
            allocated_n=Count("applications", filter=Q(applications__status=Application.Status.ALLOCATED)),
            waiting_n=Count("applications", filter=Q(applications__status=Application.Status.WAITING)),
        )


class Offering(models.Model):
    """受入枠: `places` volunteers at `centre` on `date`, applied for through the prefecture's one registration
    point. While it is open, a volunteer's own booking of that date at that centre goes through it."""

    class Status(models.TextChoices):
        OPEN = "open", _("応募受付中")
        ALLOCATED = "allocated", _("割当済み")
        CLOSED = "closed", _("締切（割当なし）")

    class Method(models.TextChoices):
        FIRST_COME = "first_come", _("先着順")
        DRAW = "draw", _("抽選")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("センター"))
    date = models.DateField(_("活動日"))
    places = models.PositiveIntegerField(_("受入人数"))
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # How places are given when more people applied than there are places: said on the page and in the mail.
    method = models.CharField(_("定員超過時の決め方"), max_length=10, choices=Method.choices, default=Method.DRAW)
    # The draw's seed: fixed when the offering is opened, shown with the result, so anyone can run it again.
    seed = models.CharField(_("抽選のシード"), max_length=32, default=new_seed, editable=False)
    closes_at = models.DateTimeField(_("応募締切"), null=True, blank=True)
    note = models.CharField(_("お知らせ"), max_length=200, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    allocated_at = models.DateTimeField(_("割当日時"), null=True, blank=True)
    # What the allocation did: "first_come" when it fitted or by first-come, "draw" when drawn (with the seed).
    allocated_by_method = models.CharField(max_length=10, blank=True)
    # The draw's input, kept: the ids of the applications that took part, in order of arrival at the allocation
    # (a later cancellation or application changes nothing here). With `seed` anyone re-runs the draw
    # (ops.prefecture.draw_record).
    arrival_ids = models.JSONField(default=list, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        verbose_name = _("受入枠")
        verbose_name_plural = _("受入枠")
        ordering = ["date", "centre_id"]
        constraints = [models.UniqueConstraint(fields=["centre", "date"], name="offering_once_a_day")]

    def __str__(self):
        return f"{self.centre} {self.date:%Y-%m-%d} ({self.places})"


class ApplicationQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status=Application.Status.CANCELLED)

    def in_order(self):
        """The order of arrival: first-come's order, and the draw's starting order."""
        return self.order_by("created_at", "pk")


class Application(models.Model):
    """応募: one volunteer for one offering. At allocation it becomes ALLOCATED (with a booking at the centre,
    which is what counts as a place everywhere else) or WAITING (with its place in the waiting list)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("応募済み")
        ALLOCATED = "allocated", _("参加決定")
        WAITING = "waiting", _("キャンセル待ち")
        CANCELLED = "cancelled", _("取消")

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="applications",
                                 verbose_name=_("受入枠"))
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.CASCADE, related_name="applications",
                                  verbose_name=_("ボランティア"))
    # The offering's date, kept here so that one person holds one live application a day across the disaster's
    # centres (nobody is given two places on one morning): the partial unique constraint below.
    date = models.DateField(_("活動日"))
    # The bus they asked to ride (ボランティアバス); None: they come on their own.
    bus = models.ForeignKey("BusDeparture", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="applications", verbose_name=_("ボランティアバス"))
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    # After allocation: the place in the allocation's order (1 = first given a place; the waiting list follows).
    rank = models.PositiveIntegerField(null=True, blank=True)
    seat = models.PositiveSmallIntegerField(_("座席"), null=True, blank=True)
    booking = models.OneToOneField("volunteers.Booking", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="application")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The status the volunteer was last mailed about: the outcome mailer (services.outcomes) mails each
    # application whose status differs, under its row lock, so every outcome is mailed once whoever runs it.
    notified = models.CharField(max_length=10, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("応募")
        verbose_name_plural = _("応募")
        constraints = [
            models.UniqueConstraint(fields=["offering", "volunteer"], name="application_once"),
            models.UniqueConstraint(fields=["volunteer", "date"], condition=~Q(status="cancelled"),
                                    name="one_application_a_day"),
            models.UniqueConstraint(fields=["bus", "seat"], condition=Q(seat__isnull=False), name="one_seat_one_rider"),
        ]
        indexes = [models.Index(fields=["offering", "status", "rank"])]

    def __str__(self):
        return f"{self.volunteer_id} → {self.offering}"


class BusQuerySet(models.QuerySet):
    def with_riders(self):
        return self.annotate(riders_n=Count("applications", filter=Q(applications__seat__isnull=False)))


class BusDeparture(models.Model):
    """ボランティアバス: `seats` seats from `hub` at `departs_at` to `centre` on `date`. Seats are given with
    the places (ops.prefecture.services.allocation); a delay or cancellation tells every rider (services.buses)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("運行予定")
        DELAYED = "delayed", _("遅延")
        CANCELLED = "cancelled", _("運休")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="buses", verbose_name=_("センター"))
    date = models.DateField(_("運行日"))
    hub = models.CharField(_("出発地（拠点）"), max_length=120)
    departs_at = models.TimeField(_("出発時刻"))
    seats = models.PositiveSmallIntegerField(_("座席数"))
    operator = models.CharField(_("運行会社"), max_length=120, blank=True)
    status = models.CharField(_("運行状況"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    delay_minutes = models.PositiveSmallIntegerField(_("遅れ（分）"), default=0)
    status_note = models.CharField(_("運行についてのお知らせ"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = BusQuerySet.as_manager()

    class Meta:
        verbose_name = _("ボランティアバス")
        verbose_name_plural = _("ボランティアバス")
        ordering = ["date", "departs_at", "pk"]

    def __str__(self):
        return f"{self.hub} {self.departs_at:%H:%M} → {self.centre} {self.date:%m/%d}"
