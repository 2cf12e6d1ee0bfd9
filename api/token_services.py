"""Issuing and revoking API tokens, each written to the audit trail (never the key itself)."""
from django.db import transaction

from api.models import ApiToken
from ops import audit


class TokenRefused(Exception):
    """The token cannot be issued as asked; the message says why."""


def issue_token(*, user, name: str, centre=None, by=None) -> tuple[ApiToken, str]:
    """A new token for `user` (acting at `centre` only, or at all their centres when None) and its key."""
    with transaction.atomic():
        token, key = ApiToken.issue(user=user, name=name.strip(), centre=centre, by=by)
        audit.record(centre=centre, action="api_token.created", obj=token, by=by,
                     actor="" if by else "system", note=f"{token.prefix}… {user.get_username()}")
    return token, key


def revoke_token(token: ApiToken, *, by=None) -> bool:
    """Stop `token` now. False when it was already revoked (nothing written)."""
    with transaction.atomic():
        if not token.revoke(by=by):
            return False
        audit.record(centre=token.centre_id, action="api_token.revoked", obj=token, by=by,
                     actor="" if by else "system", note=f"{token.prefix}… {token.user.get_username()}")
    return True
