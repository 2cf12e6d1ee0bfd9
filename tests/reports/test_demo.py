"""The demo seeder: recipients and, with data, yesterday's report; a second run adds nothing."""
from datetime import date, timedelta

import pytest

from ops.reports import demo
from ops.reports.models import DailyReport, ReportRecipient
from tests import factories

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_builds_yesterdays_report(centre, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    today = date(2026, 7, 6)
    factories.make_attendance(centre, date=today - timedelta(days=1))
    demo.seed(centre, today)
    demo.seed(centre, today)
    assert ReportRecipient.objects.filter(centre=centre).count() == len(demo.CENTRE_RECIPIENTS)
    assert ReportRecipient.objects.filter(disaster=centre.disaster, centre__isnull=True).count() == 1
    assert all(r.email.endswith("@example.jp") for r in ReportRecipient.objects.all())
    report = DailyReport.objects.get(centre=centre)
    assert report.date == today - timedelta(days=1)
    assert report.pdf and report.figures["volunteers"]["today"]["total"] == 1
    assert report.sent_at is None


def test_seed_without_data_only_adds_recipients(centre):
    demo.seed(centre, date(2026, 7, 6))
    assert not DailyReport.objects.exists()
