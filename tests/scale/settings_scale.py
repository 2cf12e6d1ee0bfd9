"""The test settings, for the processes tests/scale starts: the beat sends the prefecture's tick (production's
entry, same name and task) every second instead of every minute, so a test sees it fire without waiting a
minute; the beat's other entries (reports, reminders, retention) stay out of a run on the shared test database."""
from dvc.settings_test import *  # noqa: F403
from dvc.settings_test import CELERY_BEAT_SCHEDULE as _PRODUCTION_SCHEDULE

TICK = "prefecture-tick"
CELERY_BEAT_SCHEDULE = {TICK: {**_PRODUCTION_SCHEDULE[TICK], "schedule": 1.0}}
