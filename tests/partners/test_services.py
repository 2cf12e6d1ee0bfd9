"""三者連携's services: offering a need (or one work type) to an organisation and the organisation's answers,
each refused with a message when the facts do not allow it, and nothing half-written."""
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ops.audit import AuditEntry
from ops.centres.models import Event, Role
from ops.needs.models import NeedStatus, WorkType
from ops.needs.services.survey import record_survey
from ops.partners import figures, services
from ops.partners.models import Capability, JobPhoto, Organisation, PartnerJob
from ops.partners.services import PartnerRefused
from tests import factories

pytestmark = pytest.mark.django_db
S = PartnerJob.Status


@pytest.fixture
def centre():
    return factories.make_centre()


@pytest.fixture
def coordinator(centre):
    return factories.make_user(Role.COORDINATOR, centre)


def org(centre, name="技術系NPO", capabilities=(Capability.ROOF, Capability.CHAINSAW), **kw):
    return services.save_organisation(centre, by=None, name=name, capabilities=list(capabilities), **kw)


def roof_need(centre, **kw):
    kw.setdefault("status", NeedStatus.SURVEYED)
    return factories.make_need(centre, work_types=["mud", "tarp"], **kw)


def tarp():
    return WorkType.objects.get(code="tarp")


def jpeg(name="site.jpg"):
    out = BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_offering_the_roof_work_records_the_job_its_history_and_tells_the_boards(centre, coordinator):
    npo = org(centre)
    need = roof_need(centre)
    before = Event.objects.filter(centre=centre).count()

    job = services.offer(need, npo, by=coordinator, work_type=tarp(), note="北側の屋根")

    assert job.status == S.OFFERED and job.organisation == npo and job.work_type.code == "tarp"
    assert [(h.from_status, h.to_status) for h in job.history.all()] == [("", S.OFFERED)]
    need.refresh_from_db()
    assert need.technical is True
    event = Event.objects.filter(centre=centre).order_by("-seq").first()
    assert Event.objects.filter(centre=centre).count() == before + 1
    assert event.kind == "partner.changed"
    assert event.payload["job"]["organisation"] == "技術系NPO" and event.payload["job"]["status"] == S.OFFERED
    assert "山田" not in str(event.payload) and "090-1234" not in str(event.payload)
    assert AuditEntry.objects.filter(action="partner.offered", object_id=str(job.pk)).exists()


@pytest.mark.parametrize("case", ["other_centre", "inactive", "cannot", "not_its_work", "closed_need"])
def test_an_offer_the_facts_do_not_allow_is_refused_and_writes_nothing(centre, coordinator, case):
    need = roof_need(centre)
    npo = org(centre)
    work_type = tarp()
    expected = {"other_centre": "このセンターの協力団体ではありません", "inactive": "現在活動していません",
                "cannot": "「屋根・ブルーシート」に対応していません", "not_its_work": "このニーズの作業内容ではありません",
                "closed_need": "終了しています"}[case]
    if case == "other_centre":
        npo = org(factories.make_centre())
    elif case == "inactive":
        npo = org(centre, name="休止中の団体", active=False)
    elif case == "cannot":
        npo = org(centre, name="重機の会社", capabilities=[Capability.HEAVY])
    elif case == "not_its_work":
        work_type = WorkType.objects.get(code="heavy")
        npo = org(centre, name="何でもできる団体", capabilities=list(Capability.values))
    else:
        need.status = NeedStatus.COMPLETED
        need.save()

    with pytest.raises(PartnerRefused, match=expected):
        services.offer(need, npo, by=coordinator, work_type=work_type)
    assert not PartnerJob.objects.filter(need=need).exists()


def test_the_same_work_is_not_offered_twice_while_it_is_with_an_organisation(centre, coordinator):
    need = roof_need(centre)
    first, second = org(centre), org(centre, name="別の技術系団体")
    job = services.offer(need, first, by=coordinator, work_type=tarp())

    with pytest.raises(PartnerRefused, match="すでに技術系NPOに依頼しています"):
        services.offer(need, second, by=coordinator, work_type=tarp())
    with pytest.raises(PartnerRefused, match="すでに技術系NPOに依頼しています"):
        services.offer(need, second, by=coordinator)  # the whole need while part of it is with someone

    services.decline(job, by=None, reason="人手が足りない")
    again = services.offer(need, second, by=coordinator, work_type=tarp())  # declined: free to ask another
    assert again.status == S.OFFERED


def test_an_organisation_answers_step_by_step_and_a_step_out_of_turn_is_refused(centre, coordinator):
    need = roof_need(centre)
    job = services.offer(need, org(centre), by=coordinator, work_type=tarp())

    with pytest.raises(PartnerRefused, match="「依頼中」のため"):
        services.complete(job, by=None, outcome="done")
    job = services.accept(job, by=None)
    with pytest.raises(PartnerRefused, match="「受諾」のため"):
        services.accept(job, by=None)
    day = centre.today() + timedelta(days=2)
    job = services.schedule(job, by=None, on=day, note="午前中")
    assert job.status == S.SCHEDULED and job.scheduled_for == day and job.schedule_note == "午前中"
    job = services.complete(job, by=None, outcome="done", note="ブルーシートを張った", photos=[jpeg()])

    assert job.status == S.DONE and job.outcome == "done" and job.done_at is not None
    assert job.photos.count() == 1
    assert [h.to_status for h in job.history.all()] == [S.OFFERED, S.ACCEPTED, S.SCHEDULED, S.DONE]
    need.refresh_from_db()
    assert need.status == NeedStatus.SURVEYED  # the mud work is still the volunteers'


def test_a_stale_form_is_refused(centre, coordinator):
    job = services.offer(roof_need(centre), org(centre), by=coordinator, work_type=tarp())
    seen = job.version
    services.accept(job, by=None, version=seen)

    with pytest.raises(PartnerRefused, match="先に更新されています"):
        services.decline(job, by=None, reason="やはり無理", version=seen)
    job.refresh_from_db()
    assert job.status == S.ACCEPTED


@pytest.mark.parametrize(("step", "kwargs", "field", "message"), [
    ("decline", {"reason": "  "}, "reason", "辞退の理由"),
    ("schedule", {"on": None}, "on", "対応予定日を入力"),
    ("schedule", {"on": "yesterday"}, "on", "今日以降"),
    ("complete", {"outcome": "maybe"}, "outcome", "結果を選んで"),
    ("complete", {"outcome": "could_not", "note": ""}, "note", "理由を入力"),
    ("withdraw", {"reason": ""}, "reason", "取下げの理由"),
])
def test_bad_answers_are_refused_on_their_field(centre, coordinator, step, kwargs, field, message):
    job = services.accept(services.offer(roof_need(centre), org(centre), by=coordinator, work_type=tarp()), by=None)
    if kwargs.get("on") == "yesterday":
        kwargs["on"] = centre.today() - timedelta(days=1)

    with pytest.raises(PartnerRefused, match=message) as refused:
        getattr(services, step)(job, by=None, **kwargs)
    assert refused.value.field == field
    job.refresh_from_db()
    assert job.status == S.ACCEPTED and job.history.count() == 2


def test_a_file_that_is_not_a_photo_refuses_the_report_and_nothing_is_written(centre, coordinator):
    job = services.accept(services.offer(roof_need(centre), org(centre), by=coordinator, work_type=tarp()), by=None)
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")

    with pytest.raises(PartnerRefused, match="写真として読み込めない") as refused:
        services.complete(job, by=None, outcome="done", photos=[jpeg(), fake])
    assert refused.value.field == "photos"
    job.refresh_from_db()
    assert job.status == S.ACCEPTED and not JobPhoto.objects.exists()


def test_a_whole_need_done_by_the_organisation_completes_the_need_and_the_public_counter(centre, coordinator):
    need = factories.make_need(centre, work_types=["tarp"], status=NeedStatus.NEW)
    record_survey(need, by=coordinator, damage_type="partial", people_needed=2, days_needed=1,
                  volunteer_ok=False, refusal_reason="屋根の上の作業", technical=True)
    need.refresh_from_db()
    assert need.status == NeedStatus.ON_HOLD and need.technical and need.closure == ""
    assert figures.summary(centre)["waiting"] == 1

    job = services.offer(need, org(centre), by=coordinator)  # the whole need
    assert figures.summary(centre)["waiting"] == 0 and figures.summary(centre)["offered"] == 1
    services.complete(services.accept(job, by=None), by=None, outcome="done")

    need.refresh_from_db()
    assert need.status == NeedStatus.COMPLETED
    assert need.history.last().reason == "技術系NPOが対応を完了"
    completed = Event.objects.filter(centre=centre, kind="need.changed").order_by("-seq").first()
    assert completed.public == {"needs_completed": 1}
    assert figures.summary(centre, centre.today())["done_today"] == 1


def test_a_whole_need_could_not_be_done_waits_again_for_an_organisation(centre, coordinator):
    need = factories.make_need(centre, work_types=["tarp"], status=NeedStatus.ON_HOLD, technical=True)
    job = services.accept(services.offer(need, org(centre), by=coordinator), by=None)

    services.complete(job, by=None, outcome="could_not", note="足場が組めない")

    need.refresh_from_db()
    assert need.status == NeedStatus.ON_HOLD
    assert list(figures.waiting_needs(centre)) == [need]


def test_organisations_are_named_once_per_centre_and_capabilities_are_codes(centre):
    org(centre)
    with pytest.raises(PartnerRefused, match="同じ名前"):
        org(centre)
    with pytest.raises(PartnerRefused, match="選択肢から"):
        org(centre, name="新しい団体", capabilities=["flying"])
    assert org(factories.make_centre()).name == "技術系NPO"  # another centre may have its own
    assert Organisation.objects.filter(centre=centre).count() == 1


def test_organisations_that_can_do_the_work_come_first(centre):
    heavy = org(centre, name="あ建設", capabilities=[Capability.HEAVY])
    roof = org(centre, name="ん屋根の会", capabilities=[Capability.ROOF])
    assert services.organisations_for(centre, tarp()) == [roof, heavy]
    assert services.organisations_for(centre) == [heavy, roof]


def test_summary_counts_jobs_by_status_and_organisation(centre, coordinator):
    npo, other = org(centre), org(centre, name="建設業協会", capabilities=[Capability.HEAVY, Capability.ROOF])
    offered = services.offer(roof_need(centre), npo, by=coordinator, work_type=tarp())
    accepted = services.accept(services.offer(roof_need(centre), npo, by=coordinator, work_type=tarp()), by=None)
    declined = services.decline(services.offer(roof_need(centre), other, by=coordinator, work_type=tarp()),
                                by=None, reason="日程が合わない")
    assert {offered.status, accepted.status, declined.status} == {S.OFFERED, S.ACCEPTED, S.DECLINED}

    summary = figures.summary(centre)
    assert (summary["offered"], summary["accepted"], summary["open"], summary["declined_total"]) == (1, 1, 2, 1)
    assert summary["waiting"] == 1  # the declined one's need has no open job
    rows = {r["organisation"]: r for r in figures.by_organisation(centre)}
    assert rows["技術系NPO"]["open"] == 2 and rows["建設業協会"]["declined"] == 1 and rows["建設業協会"]["open"] == 0


def test_the_last_roof_job_of_a_need_left_to_organisations_completes_it(centre, coordinator):
    need = factories.make_need(centre, work_types=["tarp", "chainsaw"], status=NeedStatus.NEW)
    record_survey(need, by=coordinator, damage_type="partial", people_needed=2, days_needed=1,
                  volunteer_ok=False, refusal_reason="屋根と倒木", technical=True)
    npo = org(centre)
    roof = services.accept(services.offer(need, npo, by=coordinator, work_type=tarp()), by=None)
    trees = services.accept(services.offer(need, npo, by=coordinator, work_type=WorkType.objects.get(
        code="chainsaw")), by=None)

    services.complete(roof, by=None, outcome="done")
    need.refresh_from_db()
    assert need.status == NeedStatus.ON_HOLD  # the trees are still open

    services.complete(trees, by=None, outcome="done")
    need.refresh_from_db()
    assert need.status == NeedStatus.COMPLETED


def test_a_roof_job_done_leaves_a_need_with_volunteer_work_to_the_volunteers(centre, coordinator):
    need = factories.make_need(centre, work_types=["tarp", "mud"], status=NeedStatus.NEW)
    record_survey(need, by=coordinator, damage_type="partial", people_needed=4, days_needed=1,
                  volunteer_ok=True, technical=True)
    job = services.accept(services.offer(need, org(centre), by=coordinator, work_type=tarp()), by=None)

    services.complete(job, by=None, outcome="done")
    need.refresh_from_db()
    assert need.status == NeedStatus.SURVEYED and need.technical


def test_specialist_work_a_skilled_team_was_sent_to_leaves_the_desk():
    from ops.dispatch.services import dispatch, form_team
    from tests.dispatch.conftest import END_OF_DAY

    centre = factories.make_centre(latest_return_time=END_OF_DAY)  # a dispatch "now" at any hour
    need = factories.make_need(centre, work_types=["chainsaw"], status=NeedStatus.READY, people_needed=4)
    assert list(figures.waiting_needs(centre)) == [need]  # a fallen tree: an organisation, or a skilled team
    members = [factories.make_attendance(centre, factories.make_volunteer(skills=skills), date=centre.today())
               for skills in (["chainsaw"], [])]
    team = form_team(centre=centre, on=centre.today(), members=members, leader=members[0])
    dispatch(team, need)

    assert list(figures.waiting_needs(centre)) == [] and figures.summary(centre)["waiting"] == 0
