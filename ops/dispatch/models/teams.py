"""Teams (班), dispatches of a team to a need, and return reports (活動報告)."""
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ops.centres.models import Base, Centre
from ops.needs.models import Need


class TeamQuerySet(models.QuerySet):
    def with_active_dispatch(self):
        """Read each team's active dispatch (and its need) in one query: `team.active_dispatch` uses it."""
        active = Dispatch.objects.active().select_related("need")
        return self.prefetch_related(Prefetch("dispatches", queryset=active, to_attr="_active_dispatches"))


class Team(models.Model):
    """班: formed each day from checked-in volunteers (Attendance.team), with a leader."""

    class Status(models.TextChoices):
        FORMING = "forming", _("編成中")
        READY = "ready", _("待機")
        DISPATCHED = "dispatched", _("出発")
        ON_SITE = "on_site", pgettext_lazy("team status", "活動中")
        RETURNED = "returned", _("帰着")
        DISBANDED = "disbanded", _("解散")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="teams")
    date = models.DateField(_("活動日"), db_index=True)
    number = models.PositiveSmallIntegerField(_("班番号"))
    base = models.ForeignKey(Base, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("拠点"))
    leader = models.ForeignKey("volunteers.Attendance", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("リーダー"))
    vehicle = models.CharField(_("車両"), max_length=80, blank=True)
    status = models.CharField(_("状況"), max_length=10, choices=Status.choices, default=Status.FORMING)
    expected_return_at = models.DateTimeField(_("帰着予定"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("班")
        verbose_name_plural = _("班")
        constraints = [models.UniqueConstraint(fields=["centre", "date", "number"], name="team_unique_number")]
        ordering = ["date", "number"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"T-{self.number:02d}"

    def crew(self) -> list:
        """The members (attendances with their volunteer), the leader the coordinator chose first."""
        members = list(self.members.select_related("volunteer").order_by("pk"))
        return sorted(members, key=lambda a: a.pk != self.leader_id)

    def tools_out(self):
        """The team's loans not yet back at the tool desk, with what each still owes."""
        return self.loans.outstanding().select_related("kind", "item").order_by("kind__name", "pk")

    @property
    def active_dispatch(self) -> "Dispatch | None":
        """The dispatch the team is out on now, or None (at most one: dispatch_one_active_per_team). Free on
        teams read `with_active_dispatch()`; one query otherwise."""
        prefetched = getattr(self, "_active_dispatches", None)
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return self.dispatches.active().select_related("need").first()


class DispatchQuerySet(models.QuerySet):
    """The two readings of "a need's dispatches" every page and figure asks: `active()` for teams out there
    now (demand, the board, "is anyone on it"), `counted()` for every dispatch that happened (the daily
    report: a cancelled one was a mistake and counts nowhere)."""

    def active(self):
        return self.filter(status=Dispatch.Status.ACTIVE)

    def counted(self):
        return self.exclude(status=Dispatch.Status.CANCELLED)

    def people(self) -> int:
        """People sent on these dispatches (need.dispatches.active().people(): on the need now)."""
        return self.aggregate(n=Sum("people"))["n"] or 0


class Dispatch(models.Model):
    """A team sent to a need on a day. At most one active dispatch per team (a partial unique index)."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("dispatch status", "活動中")
        RETURNED = "returned", _("帰着")
        CANCELLED = "cancelled", _("取消")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="dispatches")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="dispatches")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="dispatches")
    date = models.DateField(db_index=True)
    people = models.PositiveSmallIntegerField(_("人数"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    dispatched_at = models.DateTimeField(_("送り出し時刻"))
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      related_name="+")
    expected_return_at = models.DateTimeField(_("帰着予定"))
    returned_at = models.DateTimeField(_("帰着時刻"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消時刻"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消の理由"), max_length=300, blank=True)
    # 連絡済み: past its return time, staff reached the team (a call to the leader): who and when. How long an
    # overdue team went unnoticed is read from here (ops.dispatch.services.contact, the drills' review).
    contacted_at = models.DateTimeField(_("連絡済み"), null=True, blank=True)
    contacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    # The leader's private link to the slip and the return report; dead once the report is filed.
    slip_token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe, editable=False)

    objects = DispatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("送り出し")
        verbose_name_plural = _("送り出し")
        constraints = [
            models.UniqueConstraint(fields=["team"], condition=Q(status="active"), name="dispatch_one_active_per_team"),
        ]
        indexes = [
            models.Index(fields=["centre", "date"]),
            # the demand check sums people of a need's active dispatches on every dispatch
            models.Index(fields=["need", "status"], name="dispatch_need_status"),
        ]


LATE_RECEIPT = timedelta(minutes=10)  # a report received this long after it was typed shows both times


class ReturnReport(models.Model):
    """活動報告: filed by the leader's phone or by staff when the team comes back.

    `hours` is the work hours of this dispatch for each of the `people` who worked (作業時間, 1人あたり);
    the team's person-hours are people × hours (the daily report's 作業時間). They stay on the report: a
    volunteer's own hours (Attendance.hours) are the time at the centre, written by check-out alone."""

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("完了")
        CONTINUE = "continue", _("継続（翌日以降も必要）")
        COULD_NOT = "could_not", _("活動できず")

    dispatch = models.OneToOneField(Dispatch, on_delete=models.CASCADE, related_name="report")
    outcome = models.CharField(_("結果"), max_length=10, choices=Outcome.choices)
    people = models.PositiveSmallIntegerField(_("活動人数"))
    hours = models.DecimalField(_("活動時間"), max_digits=4, decimal_places=2)
    work_done = models.TextField(_("活動内容"), blank=True)
    injuries = models.PositiveSmallIntegerField(_("けが人"), default=0)
    heat_illness = models.PositiveSmallIntegerField(_("熱中症"), default=0)
    near_miss = models.TextField(_("ヒヤリハット"), blank=True)
    tools_returned = models.BooleanField(_("資機材返却済"), default=True)
    filed_at = models.DateTimeField(auto_now_add=True)  # when it reached the server
    # when the leader pressed send on the phone (the outbox may deliver it hours later); None from staff
    typed_at = models.DateTimeField(_("入力時刻"), null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    filed_via = models.CharField(max_length=10, default="staff")  # "leader" (slip link) or "staff"

    class Meta:
        verbose_name = _("活動報告")
        verbose_name_plural = _("活動報告")

    @property
    def received_late(self) -> bool:
        """Typed on the phone well before it reached us (no signal at the site): staff see both times."""
        return self.typed_at is not None and self.filed_at - self.typed_at >= LATE_RECEIPT
