"""Load the demo centre for `make run`: its staff, tools and a season of work played through the real services
up to now (ops.centres.demo, ops.season). Idempotent: a second run the same day adds nothing."""
from django.core.management.base import BaseCommand
from django.utils.formats import time_format

from ops.centres import demo


class Command(BaseCommand):
    help = "Create the demo centre, its logins and a season of needs, volunteers, teams and reports up to now."

    def handle(self, *args, **options):
        centre, season = demo.seed()
        if season is not None:
            self.stdout.write(f"demo season: {season.days_played[0]} .. {season.days_played[-1]}"
                              f" ({len(season.days_played)} days)")
        self.stdout.write(f"demo centre: {centre.name} (/c/{centre.slug}/)")
        self.stdout.write(f"demo hours today: {time_format(centre.activity_start, 'H:i')}-"
                          f"{time_format(centre.activity_end, 'H:i')}, teams back by "
                          f"{time_format(centre.latest_return_time, 'H:i')} (fitted around the hour it was started)")
        for username, role, _ in demo.DEMO_USERS:
            organisations = demo.organisations_of(username, centre)
            what = f"{role.label}: {organisations}" if organisations else role.label
            self.stdout.write(f"  {username:10s} / {demo.DEMO_PASSWORD}  ({what})")
        from ops.season.prefecture import PREFECTURE_LOGIN

        self.stdout.write(f"  {PREFECTURE_LOGIN[0]:10s} / {demo.DEMO_PASSWORD}  (県域スタッフ: {centre.disaster.name}"
                          f" /pref/{centre.disaster_id}/)")
        from ops.drills.demo import SLUG

        self.stdout.write(f"drill centre (訓練, the same logins): /c/{SLUG}/drill/ (admin starts it)")
