"""招待 (Invitation): a one-time link that lets one person make their own account and take a role at a centre.

Only a hash of the token is kept: the link exists in the mail or on the administrator's screen, never in the
database or a log (dvc/logs.py hides /invite/<token>/). A link works once, until it expires or is revoked.
"""
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Centre, Role
from ops.credentials import digest

INVITATION_HOURS = 72


class InvitationQuerySet(models.QuerySet):
    def usable(self, now=None):
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="invitations",
                               verbose_name=_("センター"))
    role = models.CharField(_("役割"), max_length=12, choices=Role.choices)
    email = models.EmailField(_("メールアドレス"), blank=True)
    # The 協力団体 role is given with its organisation: accepting makes the account one of its logins.
    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="invitations", verbose_name=_("協力団体"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("招待日時"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("招待した人"))
    expires_at = models.DateTimeField(_("有効期限"))
    used_at = models.DateTimeField(_("使用日時"), null=True, blank=True)
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("使用した人"))
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("招待")
        verbose_name_plural = _("招待")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.centre} {self.get_role_display()} #{self.pk}"

    @classmethod
    def issue(cls, *, centre, role: str, email: str = "", by=None) -> tuple["Invitation", str]:
        """A new invitation and its token (the only time the token exists outside the link)."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(centre=centre, role=role, email=email, token_hash=digest(token),
                                        created_by=by,
                                        expires_at=timezone.now() + timedelta(hours=INVITATION_HOURS))
        return invitation, token

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()
