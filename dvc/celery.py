"""The Celery app. Tasks live next to the code they drive (ops/*/tasks.py); the schedule is in settings."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")

app = Celery("dvc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="dvc.ping")
def ping(value=None):
    """Round-trip check used by /healthz and the harness: proves a worker is consuming."""
    return {"pong": value}
