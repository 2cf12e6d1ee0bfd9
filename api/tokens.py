"""`Authorization: Token <key>`: an ApiToken (api.models) that is neither revoked nor expired.

A wrong, expired or revoked key, or one of a deactivated user, is a 401 with the JSON error body. The last use
is written at most once a minute per token (a dashboard polling every few seconds writes no row each time).
"""
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api.models import ApiToken
from ops.credentials import digest

KEYWORD = "Token"
MAX_KEY = 64
LAST_USED_EVERY = timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2 or len(header[1]) > MAX_KEY:
            raise exceptions.AuthenticationFailed(_("APIトークンが正しくありません。"))
        try:
            key = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("APIトークンが正しくありません。")) from None
        token = ApiToken.objects.select_related("user").filter(key_hash=digest(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("APIトークンが正しくありません。"))
        if token.revoked:
            raise exceptions.AuthenticationFailed(_("このAPIトークンは失効しています。"))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("このAPIトークンは有効期限が切れています。"))
        ApiToken.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY),
                                pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD


def token_of(request) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None
