"""Centre housekeeping run by Celery beat."""
from io import StringIO

from celery import shared_task
from django.core.management import call_command


@shared_task(name="ops.centres.tasks.erase_expired_personal_data")
def erase_expired_personal_data():
    """Nightly: personal data of centres closed longer than PERSONAL_DATA_RETENTION_DAYS is anonymised."""
    out = StringIO()
    call_command("erase_personal_data", stdout=out)
    return out.getvalue().strip()
