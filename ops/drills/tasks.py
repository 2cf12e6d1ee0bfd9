"""The drill's clock on the worker: every DRILL_TICK_SECONDS (beat) each running drill plays what is due. Safe to
run twice at once: the player takes each drill's row lock and a second worker skips a drill being played."""
from celery import shared_task

from ops.drills.models import Drill
from ops.drills.player import play_due


@shared_task
def drill_tick() -> int:
    """Play the due entries of every running drill; returns how many were played."""
    running = list(Drill.objects.filter(status=Drill.Status.RUNNING).order_by("pk").values_list("pk", flat=True))
    return sum(play_due(pk) for pk in running)
