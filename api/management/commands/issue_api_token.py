"""`manage.py issue_api_token <username>`: a token an integration sends as `Authorization: Token <key>`.

The key is printed once (only its hash is kept). The token acts as that user, with that user's roles at each
centre (ops.permissions), so give an integration its own user with only the role it needs (e.g. 行政（閲覧）
for a city's dashboard). It expires after API_TOKEN_DAYS; a centre's administrator can also issue and revoke
tokens at /c/<centre>/api-tokens/ (acting at that centre only).
"""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken
from api.token_services import issue_token, revoke_token


class Command(BaseCommand):
    help = "Issue a new API token for a user and print its key (--rotate revokes the user's earlier tokens)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Revoke the user's earlier tokens (they stop).")
        parser.add_argument("--name", default="manage.py issue_api_token", help="What the token is for.")

    def handle(self, *args, username, rotate, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        if rotate:
            for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
                revoke_token(token)
        token, key = issue_token(user=user, name=name)
        if not user.memberships.exists():
            self.stderr.write(self.style.WARNING(f"{username} holds no role at any centre: the token can do nothing."))
        self.stderr.write(f"expires {token.expires_at:%Y-%m-%d}")
        self.stdout.write(key)
