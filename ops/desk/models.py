"""スキャンデスク: the morning desks that form, send and equip teams by scanning QR codes.

- DeskRole: a checked-in volunteer given a desk for the day by staff (受付スキャン, 資機材デスク). It is in force
  while it is not ended, its attendance is today's and the volunteer has not checked out: check-out ends it
  with no write (`DeskRole.objects.in_force`, the one home of that rule).
- DeskDraft: a team being scanned at one desk (the need, the people so far, the leader), not yet a Team.
- DeskClaim: a volunteer scanned into a draft. One claim per attendance (unique), so a second desk scanning the
  same person is refused at the scan, not when it dispatches. A claim left idle (`CLAIM_MINUTES`) may be taken.
"""
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Centre

CLAIM_MINUTES = 10  # a draft nobody touched for this long no longer holds its people


class DeskRoleQuerySet(models.QuerySet):
    def in_force(self, centre, *, on=None):
        """Desk roles valid now at `centre`: not ended, today's attendance, the volunteer not checked out."""
        on = on or centre.today()
        return self.filter(centre=centre, ended_at__isnull=True, attendance__date=on,
                           attendance__checked_out_at__isnull=True)


class DeskRole(models.Model):
    class Kind(models.TextChoices):
        SCAN = "scan", _("受付スキャン（班編成・送り出し）")
        TOOLS = "tools", _("資機材デスク")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="desk_roles")
    attendance = models.ForeignKey("volunteers.Attendance", on_delete=models.CASCADE, related_name="desk_roles")
    kind = models.CharField(_("担当"), max_length=8, choices=Kind.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")

    objects = DeskRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("デスク担当")
        verbose_name_plural = _("デスク担当")
        constraints = [models.UniqueConstraint(fields=["attendance", "kind"], condition=Q(ended_at__isnull=True),
                                               name="desk_role_once")]

    def __str__(self):
        return f"{self.get_kind_display()}"


class DeskDraftQuerySet(models.QuerySet):
    def live(self):
        """Drafts still holding their people: touched within CLAIM_MINUTES."""
        return self.filter(touched_at__gte=timezone.now() - timedelta(minutes=CLAIM_MINUTES))


class DeskDraft(models.Model):
    """A team being scanned: who opened it (a staff user or a desk role), the need, the leader."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="desk_drafts")
    date = models.DateField()
    need = models.ForeignKey("needs.Need", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    leader = models.ForeignKey("volunteers.Attendance", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    by_desk = models.ForeignKey(DeskRole, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafts")
    desk_key = models.CharField(max_length=43, db_index=True)  # the browser desk (session) that owns it
    created_at = models.DateTimeField(auto_now_add=True)
    touched_at = models.DateTimeField(default=timezone.now)

    objects = DeskDraftQuerySet.as_manager()

    def is_stale(self, *, at=None) -> bool:
        return self.touched_at < (at or timezone.now()) - timedelta(minutes=CLAIM_MINUTES)


class DeskClaim(models.Model):
    draft = models.ForeignKey(DeskDraft, on_delete=models.CASCADE, related_name="claims")
    attendance = models.OneToOneField("volunteers.Attendance", on_delete=models.CASCADE, related_name="desk_claim")
    at = models.DateTimeField(auto_now_add=True)
