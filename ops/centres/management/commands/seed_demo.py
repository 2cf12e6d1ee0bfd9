"""Load the demo centre for `make run`: each app's demo.seed(centre, today), in dependency order.

Idempotent: each seeder checks what is there, so a second run adds nothing.
"""
from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ops.centres import demo

SEEDERS = ["ops.needs.demo", "ops.volunteers.demo", "ops.dispatch.demo", "ops.reports.demo"]


class Command(BaseCommand):
    help = "Create the demo centre, its logins and a day's worth of needs, volunteers and teams."

    def handle(self, *args, **options):
        today = timezone.localdate()
        with transaction.atomic():
            centre = demo.seed(today)
            for module in SEEDERS:
                if find_spec(module):
                    import_module(module).seed(centre, today)
        self.stdout.write(f"demo centre: {centre.name} (/c/{centre.slug}/)")
        for username, role, _ in demo.DEMO_USERS:
            self.stdout.write(f"  {username:10s} / {demo.DEMO_PASSWORD}  ({role.label})")
