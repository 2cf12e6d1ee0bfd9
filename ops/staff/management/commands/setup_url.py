"""Print the first-run setup URL (with its key) while the installation has no account; nothing once it has one.
`make run DEMO=0` and the compose `migrate` service run it, so the operator reads the URL on the server."""
from django.conf import settings
from django.core.management.base import BaseCommand

from ops.staff.firstrun import has_accounts, setup_path


class Command(BaseCommand):
    help = "Print the first-run setup URL (with its key) while no account exists."

    def handle(self, *args, **options):
        if has_accounts():
            return
        self.stdout.write(settings.SITE_URL + setup_path())
