"""The Celery app. Tasks live next to the code they drive (ops/*/tasks.py); the schedule is in settings."""
import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from dvc.logs import guard_every_handler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")

app = Celery("dvc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def redact_celery_logs(**_kwargs):
    """The worker and beat replace the root logger's handlers with their own: those redact too (dvc/logs.py)."""
    guard_every_handler()


@app.task(name="dvc.ping")
def ping(value=None):
    """Round-trip check used by /healthz and the harness: proves a worker is consuming."""
    return {"pong": value}
