"""The 情報共有会議 sheet (ops.partners.meeting.sheet) over jobs moved by the real services: open technical needs
by district and by organisation, what changed since the last meeting, and each rule of what is blocked."""
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.partners import figures, services
from ops.partners.meeting import sheet
from ops.partners.models import PartnerJob
from tests.partners import conftest_meeting
from tests.partners.conftest_meeting import technical_need

pytestmark = pytest.mark.django_db
meet = conftest_meeting.meet  # the fixture


def labels(rows):
    return [r.need for r in rows]


def test_open_needs_are_listed_by_district_and_by_organisation_with_the_job_status(meet):
    roof = technical_need(meet.centre, work_types=["tarp"], district="北町")
    saw = technical_need(meet.centre, work_types=["chainsaw"], district="南町")
    waiting = technical_need(meet.centre, work_types=["mud"], district="南町")
    job = meet.offer(roof, meet.roofers, "tarp")
    services.accept(job, by=meet.staff)
    day = meet.centre.today() + timedelta(days=2)
    services.schedule(job, by=meet.staff, on=day)
    meet.offer(saw, meet.sawyers, "chainsaw")

    s = sheet(meet.centre)

    assert s["summary"] == figures.summary(meet.centre, meet.centre.today())
    assert (s["summary"]["waiting"], s["summary"]["offered"], s["summary"]["scheduled"]) == (1, 1, 1)
    districts = {d["district"]: d for d in s["by_district"]}
    assert (districts["北町"]["technical"], districts["北町"]["waiting"]) == (1, 0)
    assert (districts["南町"]["technical"], districts["南町"]["waiting"]) == (2, 1)
    assert sorted(labels(districts["南町"]["rows"])) == sorted([saw.label, waiting.label])
    row = districts["北町"]["rows"][0]
    assert (row.need, row.organisation, row.status, row.scheduled_for) == (roof.label, "屋根の会", "日程決定", day)
    assert row.work == "屋根のブルーシート張り"
    orgs = {o["organisation"]: o for o in s["by_organisation"]}
    assert (orgs["屋根の会"]["scheduled"], orgs["チェーンソー隊"]["offered"]) == (1, 1)
    assert labels(orgs["チェーンソー隊"]["rows"]) == [saw.label]
    waiting_row = next(r for r in s["open_rows"] if r.need == waiting.label)
    assert (waiting_row.organisation, waiting_row.status) == ("", "団体待ち")


def test_what_changed_starts_from_the_last_recorded_meeting(meet):
    roof = technical_need(meet.centre, work_types=["tarp"])
    job = meet.offer(roof, meet.roofers, "tarp")
    first = sheet(meet.centre)
    assert [r.status for r in first["changes"]] == ["依頼中"]
    assert labels(first["new_needs"]) == [roof.label]

    services.record_meeting(meet.centre, by=meet.staff)
    after_meeting = sheet(meet.centre)
    assert after_meeting["changes"] == [] and after_meeting["new_needs"] == []
    assert after_meeting["last_meeting"] is not None

    services.accept(job, by=meet.staff)
    later = technical_need(meet.centre, work_types=["chainsaw"], district="西町")
    moved = sheet(meet.centre)
    assert [(r.need, r.status) for r in moved["changes"]] == [(roof.label, "依頼中 → 受諾")]
    assert labels(moved["new_needs"]) == [later.label]


def test_since_given_overrides_the_last_meeting(meet):
    roof = technical_need(meet.centre, work_types=["tarp"])
    meet.offer(roof, meet.roofers, "tarp")
    services.record_meeting(meet.centre, by=meet.staff)
    s = sheet(meet.centre, since=timezone.now() - timedelta(hours=1))
    assert labels(s["changes"]) == [roof.label]


def test_blocked_when_no_active_organisation_can_do_the_work(meet):
    heavy = technical_need(meet.centre, work_types=["heavy", "mud"])
    roof = technical_need(meet.centre, work_types=["tarp"])
    rows = sheet(meet.centre)["blocked"]["no_organisation"]
    assert labels(rows) == [heavy.label]
    assert "重機" in rows[0].reason
    services.save_organisation(meet.centre, by=meet.staff, organisation=meet.roofers, active=False)
    assert set(labels(sheet(meet.centre)["blocked"]["no_organisation"])) == {heavy.label, roof.label}
    meet.org("建設協会", ["heavy"])
    assert labels(sheet(meet.centre)["blocked"]["no_organisation"]) == [roof.label]


def test_blocked_when_an_offer_is_unanswered_for_more_than_two_days(meet):
    old = technical_need(meet.centre, work_types=["tarp"])
    fresh = technical_need(meet.centre, work_types=["chainsaw"])
    stale = meet.offer(old, meet.roofers, "tarp")
    meet.offer(fresh, meet.sawyers, "chainsaw")
    PartnerJob.objects.filter(pk=stale.pk).update(offered_at=timezone.now() - timedelta(days=2, hours=1))
    assert labels(sheet(meet.centre)["blocked"]["unanswered"]) == [old.label]
    services.accept(stale, by=meet.staff)
    assert sheet(meet.centre)["blocked"]["unanswered"] == []


def test_blocked_when_declined_or_not_finished_and_no_other_job_covers_the_work(meet):
    declined = technical_need(meet.centre, work_types=["tarp"])
    partly = technical_need(meet.centre, work_types=["chainsaw"])
    services.decline(meet.offer(declined, meet.roofers, "tarp"), by=meet.staff, reason="人手不足")
    job = meet.offer(partly, meet.sawyers, "chainsaw")
    services.accept(job, by=meet.staff)
    services.complete(job, by=meet.staff, outcome=PartnerJob.Outcome.PARTLY, note="残り半分")
    rows = sheet(meet.centre)["blocked"]["uncovered"]
    assert sorted(labels(rows)) == sorted([declined.label, partly.label])
    assert {r.reason for r in rows} == {"辞退", "一部完了（続きが必要）"}

    other = meet.org("屋根職人の会", ["roof"])
    meet.offer(declined, other, "tarp")
    assert labels(sheet(meet.centre)["blocked"]["uncovered"]) == [partly.label]


def test_a_job_done_in_full_is_not_blocked(meet):
    need = technical_need(meet.centre, work_types=["tarp", "mud"])
    job = meet.offer(need, meet.roofers, "tarp")
    services.accept(job, by=meet.staff)
    services.complete(job, by=meet.staff, outcome=PartnerJob.Outcome.DONE)
    assert sheet(meet.centre)["blocked"]["uncovered"] == []


def test_blocked_when_waiting_for_an_organisation_longer_than_three_days(meet):
    long = technical_need(meet.centre, work_types=["tarp"], days_ago=4)
    technical_need(meet.centre, work_types=["tarp"], days_ago=2)
    rows = sheet(meet.centre)["blocked"]["waiting_long"]
    assert labels(rows) == [long.label]
    assert "4日" in rows[0].reason
    job = meet.offer(long, meet.roofers, "tarp")
    assert sheet(meet.centre)["blocked"]["waiting_long"] == []
    services.withdraw(job, by=meet.staff, reason="再検討")  # waiting again, counted from the withdrawal
    assert sheet(meet.centre)["blocked"]["waiting_long"] == []
