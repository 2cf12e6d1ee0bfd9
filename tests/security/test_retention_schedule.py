"""The retention command runs by itself: Celery beat schedules the task, and the task anonymises."""
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from dvc.celery import app
from ops.centres.models import Centre
from ops.centres.tasks import erase_expired_personal_data
from ops.privacy import ERASED
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_beat_runs_the_retention_task_every_night():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values()
               if e["task"] == erase_expired_personal_data.name]
    assert len(entries) == 1
    assert erase_expired_personal_data.name in app.tasks
    # due once a day, at night
    schedule = entries[0]["schedule"]
    assert schedule.hour == {3} and schedule.minute == {30}


def test_the_task_anonymises_a_long_closed_centre():
    centre = factories.make_centre(status=Centre.Status.CLOSED,
                                   closed_on=timezone.localdate() - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1))
    need = factories.make_need(centre, requester_name="消去 対象", phone="090-9999-0000")
    result = erase_expired_personal_data.apply().get()
    need.refresh_from_db()
    assert need.requester_name == ERASED and need.phone == ""
    assert "'needs': 1" in result
