"""Which reports the beat tick queues: report time passed in the centre's timezone, not sent, not queued twice."""
from datetime import UTC, datetime, time, timedelta

import pytest

from ops.centres.models import Centre
from ops.reports.building import claim_due_reports, claim_due_rollups
from ops.reports.models import DailyReport, ReportRecipient, RollupReport
from tests import factories
from tests.reports.conftest import NEXT, OPENED, D, jst

pytestmark = pytest.mark.django_db
UTC = UTC


@pytest.fixture
def open_centre(centre):
    centre.opened_on = OPENED
    centre.report_time = time(18, 0)
    centre.save()
    ReportRecipient.objects.create(centre=centre, name="市", email="shi@example.jp")
    return centre


def test_nothing_before_the_report_time(open_centre):
    assert claim_due_reports(jst(D, 17, 59)) == []
    assert not DailyReport.objects.exists()


def test_due_once_the_report_time_has_passed_in_tokyo(open_centre):
    assert claim_due_reports(datetime(2026, 7, 6, 9, 0, tzinfo=UTC)) == [(open_centre.pk, D)]  # 18:00 JST
    assert DailyReport.objects.get().enqueued_at is not None


def test_the_date_is_the_centres_date_not_utcs(open_centre):
    open_centre.report_time = time(0, 0)
    open_centre.save()
    # 15:30 UTC on the 6th is 00:30 JST on the 7th.
    assert claim_due_reports(datetime(2026, 7, 6, 15, 30, tzinfo=UTC)) == [(open_centre.pk, NEXT)]


def test_a_second_tick_does_not_queue_again_until_the_claim_is_stale(open_centre):
    now = jst(D, 18, 5)
    assert claim_due_reports(now) == [(open_centre.pk, D)]
    assert claim_due_reports(now + timedelta(minutes=5)) == []
    assert claim_due_reports(now + timedelta(minutes=31)) == [(open_centre.pk, D)]


def test_a_claim_whose_worker_died_is_queued_again_after_ten_minutes(open_centre):
    """Not half an hour: the broker hands a killed worker's task back after 5 min; this is the fallback."""
    now = jst(D, 18, 5)
    assert claim_due_reports(now) == [(open_centre.pk, D)]
    assert claim_due_reports(now + timedelta(minutes=9)) == []
    assert claim_due_reports(now + timedelta(minutes=11)) == [(open_centre.pk, D)]


def test_a_sent_report_is_never_queued(open_centre):
    DailyReport.objects.create(centre=open_centre, date=D, sent_at=jst(D, 18, 1), built_at=jst(D, 18, 1))
    assert claim_due_reports(jst(D, 19)) == []


def test_built_without_recipients_waits_for_one(open_centre):
    open_centre.recipients.all().delete()
    assert claim_due_reports(jst(D, 18)) == [(open_centre.pk, D)]  # first build: files for the archive
    DailyReport.objects.filter(centre=open_centre).update(built_at=jst(D, 18, 1))
    assert claim_due_reports(jst(D, 19)) == []
    ReportRecipient.objects.create(centre=open_centre, name="県", email="ken@example.jp")
    assert claim_due_reports(jst(D, 19)) == [(open_centre.pk, D)]


def test_centres_not_open_are_skipped(open_centre):
    open_centre.status = Centre.Status.CLOSED
    open_centre.save()
    assert claim_due_reports(jst(D, 19)) == []


def test_rollup_waits_for_every_open_centre_of_the_disaster(open_centre):
    late = factories.make_centre(disaster=open_centre.disaster, report_time=time(19, 0))
    ReportRecipient.objects.create(disaster=open_centre.disaster, name="県社協", email="council@example.jp")
    assert claim_due_rollups(jst(D, 18, 30)) == []
    assert claim_due_rollups(jst(D, 19, 0)) == [(open_centre.disaster.pk, D)]
    assert claim_due_rollups(jst(D, 19, 5)) == []
    RollupReport.objects.update(sent_at=jst(D, 19, 1))
    assert claim_due_rollups(jst(D, 20, 0)) == []
    assert late.pk


def test_no_rollup_without_rollup_recipients(open_centre):
    assert claim_due_rollups(jst(D, 23)) == []
