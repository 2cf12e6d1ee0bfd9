"""Who works at a centre in which role, and the centre's records: its event outbox and audit trail."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ops.centres.models.centre import Centre


class Role(models.TextChoices):
    ADMIN = "admin", _("管理者")
    COORDINATOR = "coordinator", _("コーディネーター")
    INTAKE = "intake", _("ニーズ受付")
    RECEPTION = "reception", _("ボランティア受付")
    WELFARE = "welfare", _("福祉担当")
    LEADER = "leader", _("リーダー（幹部）")
    VIEWER = "viewer", _("行政（閲覧）")
    PARTNER = "partner", _("協力団体")


class Membership(models.Model):
    """A staff user's role at one centre. Permissions are decided in ops.permissions, nowhere else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("役割"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("スタッフ権限")
        verbose_name_plural = _("スタッフ権限")
        constraints = [models.UniqueConstraint(fields=["user", "centre", "role"], name="membership_unique_role")]

    def __str__(self):
        return f"{self.user} @ {self.centre}: {self.get_role_display()}"


class Event(models.Model):
    """The transactional outbox: one row per domain event, written in the same transaction as the change.

    `seq` orders a centre's events without gaps; boards detect a missed event by a jump in it and catch up
    from this table. `public` is the aggregate-only payload for the public board (None: not public).
    """

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="events")
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    public = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "seq"], name="event_unique_seq")]
        ordering = ["centre", "seq"]

    def __str__(self):
        return f"{self.centre_id}#{self.seq} {self.kind}"


class AuditEntry(models.Model):
    """Who changed what, for needs, dispatches and personal data. Values are field names, never contents."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="audit_entries", null=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor = models.CharField(max_length=60, blank=True)  # "resident", "leader:T-3", "system" when no user
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    fields = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("監査記録")
        verbose_name_plural = _("監査記録")
