"""Celery tasks of the volunteers' mail: the evening-before reminders (beat, every 10 minutes) and a
recruitment call's fan-out (queued by the calls page after commit; resumed by the beat if it was lost)."""
from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from ops.volunteers.services import calls, reminders

DATABASE_AWAY = (OperationalError, InterfaceError)


@shared_task(name="ops.volunteers.tasks.reminder_tick", acks_late=True)
def reminder_tick():
    """Queue the reminders now due at every open centre, and resume any call whose fan-out stopped."""
    for call in calls.unfinished_calls().values_list("pk", flat=True):
        fan_out_call.delay(call)
    return reminders.send_all_reminders()


@shared_task(name="ops.volunteers.tasks.fan_out_call", bind=True, acks_late=True, autoretry_for=DATABASE_AWAY,
             retry_backoff=5, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX, retry_jitter=True, max_retries=8)
def fan_out_call(self, call_id: int):
    return calls.fan_out(call_id)
