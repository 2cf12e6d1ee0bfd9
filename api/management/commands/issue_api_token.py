"""`manage.py issue_api_token <username>`: the token an integration sends as `Authorization: Token <key>`.

The token acts as that user, with that user's roles at each centre (ops.permissions), so give an
integration its own user with only the role it needs (e.g. 行政（閲覧） for a city's dashboard).
"""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Print the API token of a user, creating it if needed (--rotate replaces it)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace an existing token (the old one stops).")

    def handle(self, *args, username, rotate, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if not user.memberships.exists():
            self.stderr.write(self.style.WARNING(f"{username} holds no role at any centre: the token can do nothing."))
        self.stdout.write(token.key)
