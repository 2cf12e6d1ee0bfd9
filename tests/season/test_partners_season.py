"""三者連携 over a season played through the real services (ops.season.partners): the organisations registered,
roof work the survey marks technical and routes to them, their answers through ops.partners.services as their
own login, every status a job can be left in with its history, and specialist work never given to a team
without the skill."""
from datetime import timedelta

import pytest
from django.db.models import Q

from ops.centres.models import Role
from ops.dispatch.models import Dispatch
from ops.needs.models import Closure, Need, NeedStatus
from ops.partners import figures
from ops.partners.models import Organisation, PartnerJob
from ops.permissions import may_see_job, may_work_job, partner_organisations
from ops.season import cast

pytestmark = [pytest.mark.django_db, pytest.mark.pg]
S = PartnerJob.Status


def _jobs(season):
    return PartnerJob.objects.filter(centre=season.centre).select_related("organisation", "work_type", "need")


def test_the_season_registers_the_partner_organisations_with_their_capabilities(season):
    organisations = Organisation.objects.filter(centre=season.centre).order_by("pk")
    assert [(o.name, o.kind, set(o.capabilities)) for o in organisations] == [
        (name, kind, set(capabilities)) for name, kind, capabilities, *_rest in cast.ORGANISATIONS]
    npo = organisations[0]
    assert list(npo.users.all()) == [season.users[Role.PARTNER]]
    assert all(not o.users.exists() for o in organisations[1:])


def test_the_partner_login_sees_only_its_organisations_jobs(season):
    partner = season.users[Role.PARTNER]
    npo = Organisation.objects.filter(centre=season.centre).order_by("pk").first()
    assert list(partner_organisations(partner, season.centre)) == [npo]
    jobs = list(_jobs(season))
    theirs = [job for job in jobs if job.organisation_id == npo.pk]
    others = [job for job in jobs if job.organisation_id != npo.pk]
    assert theirs and others  # the season routed work to more than one organisation
    assert all(may_work_job(partner, job) and may_see_job(partner, job) for job in theirs)
    assert not any(may_work_job(partner, job) or may_see_job(partner, job) for job in others)
    # staff see every job and do not answer as an organisation
    coordinator = season.users[Role.COORDINATOR]
    assert all(may_see_job(coordinator, job) and not may_work_job(coordinator, job) for job in jobs)


def test_the_season_leaves_jobs_in_every_status_each_with_its_history(season):
    jobs = list(_jobs(season))
    assert {S.OFFERED, S.ACCEPTED, S.SCHEDULED, S.DONE, S.DECLINED} <= {job.status for job in jobs}
    for job in jobs:
        lines = list(job.history.all())
        assert (lines[0].from_status, lines[0].to_status) == ("", S.OFFERED)
        assert all(a.to_status == b.from_status and a.at <= b.at for a, b in zip(lines, lines[1:]))
        assert lines[-1].to_status == job.status
        assert lines[0].by == season.users[Role.COORDINATOR]
        answerer = season.users[Role.PARTNER] if job.organisation.users.exists() else season.users[Role.COORDINATOR]
        assert all(line.by == answerer for line in lines[1:])  # its own login, or the coordinator taking its call
    done = [job for job in jobs if job.status == S.DONE]
    assert all(job.outcome and job.outcome_note and job.photos.count() == 1 for job in done)
    scheduled = [job for job in jobs if job.status == S.SCHEDULED]
    assert all(job.scheduled_for and job.schedule_note for job in scheduled)


def test_a_declined_job_is_offered_to_another_organisation_that_can_do_it(season):
    declined = _jobs(season).get(status=S.DECLINED)
    assert declined.decline_reason == cast.DECLINED and declined.work_type.code == "heavy"
    again = _jobs(season).filter(need=declined.need, work_type=declined.work_type, pk__gt=declined.pk).get()
    assert again.organisation != declined.organisation and again.organisation.can("heavy")
    assert again.offered_at >= declined.responded_at


def test_work_partly_done_is_offered_again_to_the_same_organisation(season):
    partly = _jobs(season).get(outcome=PartnerJob.Outcome.PARTLY)
    assert partly.status == S.DONE and partly.outcome_note
    again = _jobs(season).filter(need=partly.need, pk__gt=partly.pk).get()
    assert again.organisation == partly.organisation and again.note.startswith(cast.CONTINUED)


def test_roof_work_waits_on_hold_for_an_organisation_instead_of_being_turned_away(season):
    roofs = [need for need in Need.objects.filter(centre=season.centre, duplicate_of__isnull=True,
                                                  surveys__isnull=False).distinct()
             if {w.code for w in need.work_types.all()} == {"tarp"}]
    assert roofs
    for need in roofs:
        survey = need.surveys.get()
        assert survey.technical and not survey.volunteer_ok
        assert need.technical and need.closure != Closure.REFERRED
        assert need.status in (NeedStatus.ON_HOLD, NeedStatus.COMPLETED)
        assert need.partner_jobs.exists()
    finished = [need for need in roofs if need.status == NeedStatus.COMPLETED]
    assert finished and all(need.partner_jobs.filter(status=S.DONE, outcome="done", work_type=None).exists()
                            for need in finished)


def _covering_at(job, moment) -> bool:
    """Whether the job took its work off the teams' hands at `moment`: its status then (its history) was open,
    or done with the work finished."""
    line = job.history.filter(at__lte=moment).order_by("at", "id").last()
    if line is None:
        return False
    return line.to_status in PartnerJob.OPEN or (line.to_status == S.DONE and job.outcome == PartnerJob.Outcome.DONE)


def test_no_team_goes_to_specialist_work_without_the_skill_or_an_organisation_on_it(season):
    checked = 0
    for record in Dispatch.objects.filter(centre=season.centre).select_related("need", "team"):
        taken = [job for job in record.need.partner_jobs.all() if _covering_at(job, record.dispatched_at)]
        skills = set()
        for declared in record.team.members.values_list("volunteer__skills", flat=True):
            skills.update(declared or [])
        for work_type in record.need.work_types.filter(specialist_only=True):
            covered = any(job.work_type_id in (None, work_type.pk) for job in taken)
            assert covered or work_type.required_skill in skills, (record.need.label, work_type.code, record.team.label)
            checked += 1
    assert checked > 3
    # both ways happen: a team with the skill (a fallen tree), and work an organisation took (heavy, roofs)
    assert Dispatch.objects.filter(centre=season.centre, need__work_types__code="chainsaw").exists()
    assert Dispatch.objects.filter(centre=season.centre, need__partner_jobs__isnull=False).exists()


def test_a_need_whose_volunteer_part_is_done_waits_on_hold_for_the_organisations_part(season):
    mixed = Need.objects.filter(centre=season.centre, partner_jobs__work_type__isnull=False).distinct()
    waited = 0
    for need in mixed:
        for line in need.history.filter(to_status=NeedStatus.COMPLETED):
            # completed only when no organisation still had work on it
            assert not need.partner_jobs.filter(offered_at__lt=line.at).filter(
                Q(status__in=PartnerJob.OPEN) | Q(done_at__gt=line.at)).exists(), need.label
        waited += need.history.filter(to_status=NeedStatus.ON_HOLD, reason=cast.WAITING_FOR_PARTNER).count()
    assert waited > 0


def test_the_technical_figures_add_up_to_the_jobs_by_status(season):
    centre = season.centre
    today = centre.today()
    summary = figures.summary(centre, today)
    jobs = PartnerJob.objects.filter(centre=centre)
    assert summary["offered"] == jobs.filter(status=S.OFFERED).count()
    assert summary["accepted"] == jobs.filter(status=S.ACCEPTED).count()
    assert summary["scheduled"] == jobs.filter(status=S.SCHEDULED).count()
    assert summary["open"] == jobs.filter(status__in=PartnerJob.OPEN).count() > 0
    assert summary["done_total"] == jobs.filter(status=S.DONE).count() > 0
    assert summary["declined_total"] == jobs.filter(status=S.DECLINED).count() == 1
    for day in (today, today - timedelta(days=1), today - timedelta(days=2)):
        start, end = centre.day_bounds(day)
        assert figures.summary(centre, day)["done_today"] == jobs.filter(status=S.DONE, done_at__gte=start,
                                                                         done_at__lt=end).count()
    still_open = Need.objects.filter(centre=centre).exclude(status__in=(NeedStatus.COMPLETED, NeedStatus.CANCELLED))
    waiting = [need for need in still_open
               if (need.technical or (need.work_types.filter(specialist_only=True).exists()  # nor a skilled team
                                      and not need.dispatches.counted().exists()))
               and not need.partner_jobs.filter(status__in=PartnerJob.OPEN).exists()
               and not need.partner_jobs.filter(status=S.DONE, outcome=PartnerJob.Outcome.DONE).exists()]
    assert summary["waiting"] == len(waiting)
