"""A season of a centre played through the real services (ops.season), once per module, at a fixed moment.

The whole module runs with Python's clock at SEASON_NOW (time-machine, ticking), so the pages see the same
"today" whatever hour the suite runs at. The data is committed (the crawler and the live pages read it) and
removed afterwards.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from ops.centres.models import Role
from tests import factories

# A Friday in the rainy season, mid-morning: teams out, some back, volunteers waiting, returns still ahead.
SEASON_NOW = datetime(2026, 7, 24, 11, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
SEASON_DAYS = 4
# The roles that walk every page (test_walk_every_page); the season's 協力団体 login is in season.users too.
ROLES = [Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.RECEPTION, Role.WELFARE, Role.LEADER, Role.VIEWER]
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def season(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    from ops.centres.demo import stock_the_desk
    from ops.reports.services import add_recipient
    from ops.season import play_season

    media = tmp_path_factory.mktemp("season-media")
    old_media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, str(media)
    with django_db_blocker.unblock(), time_machine.travel(SEASON_NOW, tick=True):
        first_day = SEASON_NOW.date() - timedelta(days=SEASON_DAYS)
        centre = factories.make_centre(slug="season", name="季節市災害ボランティアセンター", municipality="季節市",
                                       opened_on=first_day, address="長野県季節市本町1-1", phone="026-111-2222",
                                       recruitment_scope="national")  # its cast comes from several prefectures
        staff = {role: factories.make_user(role, centre, username=f"season-{role}", email=f"{role}@example.jp",
                                           password=PASSWORD) for role in ROLES}
        stock_the_desk(centre, by=staff[Role.COORDINATOR])
        add_recipient(centre=centre, name="季節市 防災課", email="bousai@example.jp")
        # the 協力団体 login: the season makes it the first partner organisation's (ops.season.partners)
        partner = factories.make_user(Role.PARTNER, centre, username="season-partner", password=PASSWORD,
                                      last_name="協力", first_name="団体")
        played = play_season(centre, first_day=first_day, until=SEASON_NOW, staff=staff)
        played.users = {**staff, Role.PARTNER: partner}
        yield played
    settings.MEDIA_ROOT = old_media
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        factories.ensure_work_types()

