"""Celery tasks of the casework: the morning due-sweep (beat, every 10 minutes; ops.welfare.services.due)."""
from celery import shared_task

from ops.welfare.services.due import send_due_notices


@shared_task(name="ops.welfare.tasks.due_sweep", acks_late=True)
def due_sweep():
    """Mail each assignee, once a day, the numbers of their cases due for a check."""
    return send_due_notices()
