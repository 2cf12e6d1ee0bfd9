"""API tokens (APIトークン): the key an integration sends as `Authorization: Token <key>`.

Only a hash of the key is kept: the key is shown once, when it is issued. A token expires API_TOKEN_DAYS
after it is issued and can be revoked at any time (/c/<centre>/api-tokens/, or `manage.py issue_api_token
--rotate`). A token issued on a centre's page acts at that centre only, with its user's roles there; one
issued from the command line (centre empty) acts at every centre where its user holds a role.
"""
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ops.credentials import digest

PREFIX_LENGTH = 8


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("利用者"))
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="api_tokens", verbose_name=_("センター"))
    name = models.CharField(_("用途"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("先頭"), max_length=PREFIX_LENGTH)
    created_at = models.DateTimeField(_("発行"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    expires_at = models.DateTimeField(_("有効期限"))
    last_used_at = models.DateTimeField(_("最終利用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("失効"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.prefix}… ({self.name})"

    @classmethod
    def issue(cls, *, user, name: str, centre=None, by=None, days: int | None = None) -> tuple["ApiToken", str]:
        """A new token and its key (the only time the key exists outside the caller's hands)."""
        key = secrets.token_hex(20)
        days = settings.API_TOKEN_DAYS if days is None else days
        token = cls.objects.create(user=user, centre=centre, name=name, key_hash=digest(key),
                                   prefix=key[:PREFIX_LENGTH], created_by=by,
                                   expires_at=timezone.now() + timedelta(days=days))
        return token, key

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def usable(self) -> bool:
        return not self.revoked and not self.expired

    def revoke(self, *, by=None) -> bool:
        """Stop the token now; False if it was already revoked."""
        return bool(ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by))

    def acts_at(self, centre) -> bool:
        return self.centre_id is None or self.centre_id == centre.pk
