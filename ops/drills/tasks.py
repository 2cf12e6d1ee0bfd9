"""The drill's clock on the worker: every DRILL_TICK_SECONDS (beat) each running drill plays what is due. Safe to
run twice at once: the player takes each drill's row lock and a second worker skips a drill being played."""
import logging

from celery import shared_task

from ops.drills.models import Drill
from ops.drills.player import play_due
from ops.drills.scenario import ScenarioError

log = logging.getLogger(__name__)


@shared_task
def drill_tick() -> int:
    """Play the due entries of every running drill; returns how many were played. A drill whose scenario file
    no longer loads is left as it is (its control page says so) and the others play on."""
    played = 0
    for pk in Drill.objects.filter(status=Drill.Status.RUNNING).order_by("pk").values_list("pk", flat=True):
        try:
            played += play_due(pk)
        except ScenarioError:
            log.warning("drill %s: its scenario file does not load", pk)
    return played
