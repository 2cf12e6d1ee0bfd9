"""Centre housekeeping run by Celery beat."""
from io import StringIO

from celery import shared_task
from django.core.management import call_command

from ops.offline.keys import purge_submissions


@shared_task(name="ops.centres.tasks.erase_expired_personal_data")
def erase_expired_personal_data():
    """Nightly: personal data of centres closed longer than PERSONAL_DATA_RETENTION_DAYS is anonymised, and the
    phones' outbox keys older than two weeks are forgotten (their paths hold private links)."""
    out = StringIO()
    call_command("erase_personal_data", stdout=out)
    return f"{out.getvalue().strip()}\noutbox keys forgotten: {purge_submissions()}"
