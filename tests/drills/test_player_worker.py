# ruff: noqa: F811  (the fixtures imported from conftest_run are the tests' arguments)
"""A scenario plays to the end on a compressed clock with a real Celery worker and beat: the beat's
drill_tick (every DRILL_TICK_SECONDS) lets the worker play each entry when the scenario clock reaches it, and
finishes the drill when the day is over. The tiny scenario's ten minutes last two real seconds at speed 300."""
import time

import pytest
from django.conf import settings

from ops.drills import services
from ops.drills.models import Cue, Drill
from ops.drills.opening import open_drill
from ops.events import Event
from ops.needs.models import Need
from ops.volunteers.models import Attendance
from tests.conftest import _database_url
from tests.drills.conftest_run import home, write_tiny  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_with_beat(tmp_path):
    """Our own worker with an embedded beat, on Redis database 9 (no other test's worker reads it), playing
    scenarios from the test's own directory."""
    from harness import Stack

    scenarios = write_tiny(tmp_path / "scenarios")
    stack = Stack(postgres=False, redis=False)
    stack.extra_env = {"DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL.rsplit("/", 1)[0] + "/9",
                       "EMAIL_URL": "consolemail://", "DRILL_TICK_SECONDS": "0.5",
                       "DRILL_SCENARIO_DIRS": str(scenarios)}
    try:
        stack.start_worker(env=stack.env(), name="drillworker", beat=True)
        yield scenarios
    finally:
        stack.stop()


def test_a_scenario_plays_to_the_end_with_a_real_worker_and_beat(worker_with_beat, home, settings):
    from tests import factories

    factories.ensure_work_types()
    settings.DRILL_SCENARIO_DIRS = [str(worker_with_beat)]
    centre = open_drill(scenario="tiny", by=home.admin, speed=300)
    drill = services.start(centre.drill, by=home.admin)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        drill.refresh_from_db()
        if drill.status == Drill.Status.FINISHED:
            break
        time.sleep(0.3)
    assert drill.status == Drill.Status.FINISHED, f"played {drill.next_cue} of 8"
    cues = list(Cue.objects.filter(drill=drill).order_by("index"))
    assert [c.index for c in cues] == list(range(8))
    assert all("error" not in c.detail and "refused" not in c.detail for c in cues)
    # each played when the scenario clock had reached it, never before
    for cue in cues:
        assert (cue.played_at - drill.started_at).total_seconds() * drill.speed >= cue.at_seconds - 1
    assert Attendance.objects.heads_on(centre, centre.today())["checked_in"] == 7
    assert Need.objects.filter(centre=centre, channel="web").count() == 1
    assert list(Event.objects.filter(centre=centre, kind="drill.state").values_list("payload__drill__status", flat=True)
                .order_by("seq")) == ["running", "finished"]
