# ruff: noqa: F811  (the fixtures imported from conftest_pui are the tests' arguments)
"""協力団体のページ: an organisation's login sees its own jobs only, reads of each need what the work takes (the
resident's name and phone only while it arranges its visit), and answers with accept, decline, schedule and
its report; a refusal comes back on the form (400) with what was typed."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ops.centres.models import Role
from ops.needs.models import Need, NeedStatus, Survey
from ops.partners import services
from ops.partners.models import JobPhoto, PartnerJob
from tests import factories
from tests.partners.conftest_pui import NEVER, RESIDENT, jpeg, media, scene  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
S = PartnerJob.Status


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def step(scene, name, data, user=None, job=None, **files):
    job = scene.fresh(job)
    prefix = name.split("_")[1]
    body = {f"{prefix}-version": job.version, **{f"{prefix}-{k}": v for k, v in data.items()}}
    body.update({f"{prefix}-{k}": v for k, v in files.items()})
    return scene.client(user or scene.partner).post(scene.url(name, job), body)


# --- who sees which job --------------------------------------------------------------------------------------

def test_the_list_shows_only_the_organisations_own_jobs(scene):
    theirs_need = factories.make_need(scene.centre, work_types=["heavy"], district="川端", status="surveyed")
    theirs = services.offer(theirs_need, scene.other_org, by=scene.coordinator)
    mine = page(scene.client(scene.partner), scene.url("partners:partner_jobs"))
    assert scene.need.label in mine and scene.url("partners:partner_job") in mine
    assert theirs_need.label not in mine and "川端" not in mine
    rivals = page(scene.client(scene.rival), scene.url("partners:partner_jobs"))
    assert theirs_need.label in rivals and scene.url("partners:partner_job", theirs) in rivals
    assert scene.need.label not in rivals


def test_the_list_puts_open_jobs_first_and_keeps_closed_ones_for_two_weeks(scene):
    old_need = factories.make_need(scene.centre, work_types=["tarp"], status="surveyed")
    old = services.offer(old_need, scene.org, by=scene.coordinator)
    services.decline(old, by=scene.partner, reason="人手不足")
    PartnerJob.objects.filter(pk=old.pk).update(responded_at=timezone.now() - timedelta(days=15))
    recent_need = factories.make_need(scene.centre, work_types=["tarp"], status="surveyed")
    recent = services.offer(recent_need, scene.org, by=scene.coordinator)
    services.decline(recent, by=scene.partner, reason="日程が合わない")
    html = page(scene.client(scene.partner), scene.url("partners:partner_jobs"))
    assert old_need.label not in html
    assert html.index(scene.need.label) < html.index(recent_need.label)


def test_another_organisations_job_is_not_found_and_cannot_be_answered(scene):
    client = scene.client(scene.rival)
    page(client, scene.url("partners:partner_job"), status=404)
    for name, data in (("partners:partner_accept", {}), ("partners:partner_decline", {"reason": "x"})):
        assert step(scene, name, data, user=scene.rival).status_code == 404
    assert scene.fresh().status == S.OFFERED


def test_a_job_of_another_centre_is_not_found_and_its_partner_is_refused_here(scene):
    other = factories.make_centre()
    elsewhere = factories.make_user(Role.PARTNER, other)
    services.save_organisation(other, by=None, name="隣町の会", capabilities=["roof"]).users.add(elsewhere)
    client = scene.client(elsewhere)
    assert client.get(scene.url("partners:partner_jobs")).status_code == 403
    assert client.get(scene.url("partners:partner_job")).status_code == 403
    # our job's number under their own centre's address: not found, not "forbidden"
    assert client.get(reverse("partners:partner_job", kwargs={"centre": other.slug, "pk": scene.job.pk})
                      ).status_code == 404


def test_staff_roles_do_not_work_as_an_organisation(scene):
    for role in (Role.ADMIN, Role.COORDINATOR):
        client = scene.client(factories.make_user(role, scene.centre))
        assert client.get(scene.url("partners:partner_jobs")).status_code == 403
        assert client.get(scene.url("partners:partner_job")).status_code == 403


# --- what the sheet shows ------------------------------------------------------------------------------------

def test_the_sheet_shows_the_site_and_not_the_resident_until_the_job_is_accepted(scene):
    Survey.objects.create(need=scene.need, surveyor=scene.coordinator, surveyed_at=timezone.now(),
                          damage_type="partial", work_class="屋根の応急処置", people_needed=3, days_needed=1)
    client = scene.client(scene.partner)
    html = page(client, scene.url("partners:partner_job"))
    for shown in (RESIDENT["address"], "瓦町", "北側の屋根が抜けそう", "ブルーシートは当センターで用意します",
                  "屋根のブルーシート張り", "一部破損", "屋根の応急処置", "geo:", "0261-00-1234"):
        assert shown in html, shown
    assert RESIDENT["requester_name"] not in html and RESIDENT["phone"] not in html
    assert step(scene, "partners:partner_accept", {}).status_code == 302
    html = page(client, scene.url("partners:partner_job"))
    assert RESIDENT["requester_name"] in html and f'href="tel:{RESIDENT["phone"]}"' in html
    assert step(scene, "partners:partner_complete", {"outcome": "done", "note": ""}).status_code == 302
    html = page(client, scene.url("partners:partner_job"))
    assert RESIDENT["requester_name"] not in html and RESIDENT["phone"] not in html


def test_the_sheet_never_shows_household_welfare_notes_description_or_kana(scene):
    client = scene.client(scene.partner)
    seen = [page(client, scene.url("partners:partner_job"))]
    step(scene, "partners:partner_accept", {})
    seen.append(page(client, scene.url("partners:partner_job")))
    step(scene, "partners:partner_schedule", {"on": (scene.centre.today() + timedelta(days=1)).isoformat()})
    seen.append(page(client, scene.url("partners:partner_job")))
    seen.append(page(client, scene.url("partners:partner_jobs")))
    for html in seen:
        assert [word for word in NEVER.values() if word in html] == []


def test_reading_the_residents_phone_is_audited(scene):
    from ops.centres.models import AuditEntry

    step(scene, "partners:partner_accept", {})
    page(scene.client(scene.partner), scene.url("partners:partner_job"))
    assert AuditEntry.objects.filter(user=scene.partner, action="personal.view",
                                     object_id=str(scene.need.pk)).exists()


# --- the steps -----------------------------------------------------------------------------------------------

def test_accept_schedule_and_report_done_with_photos_completes_the_whole_need(scene):
    assert step(scene, "partners:partner_accept", {}).status_code == 302
    assert scene.fresh().status == S.ACCEPTED
    day = scene.centre.today() + timedelta(days=2)
    assert step(scene, "partners:partner_schedule", {"on": day.isoformat(), "note": "午前中"}).status_code == 302
    job = scene.fresh()
    assert (job.status, job.scheduled_for, job.schedule_note) == (S.SCHEDULED, day, "午前中")
    response = step(scene, "partners:partner_complete", {"outcome": "done", "note": "シートを張った"},
                    photos=[jpeg(), jpeg("b.jpg")])
    assert response.status_code == 302
    job = scene.fresh()
    assert (job.status, job.outcome, job.outcome_note) == (S.DONE, "done", "シートを張った")
    assert job.photos.count() == 2
    assert Need.objects.get(pk=scene.need.pk).status == NeedStatus.COMPLETED
    html = page(scene.client(scene.partner), scene.url("partners:partner_job"))
    assert "シートを張った" in html and html.count(f'/c/{scene.centre.slug}/partner/photos/') >= 2


def test_decline_with_a_reason_tells_the_centre(scene):
    assert step(scene, "partners:partner_decline", {"reason": "重機が出払っている"}).status_code == 302
    job = scene.fresh()
    assert (job.status, job.decline_reason) == (S.DECLINED, "重機が出払っている")


def test_decline_without_a_reason_is_refused_on_the_form(scene):
    response = step(scene, "partners:partner_decline", {"reason": "  "})
    assert response.status_code == 400
    assert "辞退の理由を入力してください。" in response.content.decode()
    assert scene.fresh().status == S.OFFERED


def test_a_day_in_the_past_is_refused_and_the_note_is_kept(scene):
    step(scene, "partners:partner_accept", {})
    yesterday = scene.centre.today() - timedelta(days=1)
    response = step(scene, "partners:partner_schedule", {"on": yesterday.isoformat(), "note": "午後から伺います"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "対応予定日は今日以降の日付にしてください。" in html and "午後から伺います" in html
    assert scene.fresh().status == S.ACCEPTED


@pytest.mark.parametrize("value", ["9999-12-31", "2026-02-30", "x"])
def test_a_day_that_is_not_one_is_refused_not_a_crash(scene, value):
    step(scene, "partners:partner_accept", {})
    assert step(scene, "partners:partner_schedule", {"on": value}).status_code == 400


def test_a_file_that_is_not_a_photo_is_refused_and_the_report_kept(scene):
    from django.core.files.uploadedfile import SimpleUploadedFile

    step(scene, "partners:partner_accept", {})
    response = step(scene, "partners:partner_complete", {"outcome": "partly", "note": "南側が残っている"},
                    photos=[SimpleUploadedFile("a.jpg", b"not a photo", content_type="image/jpeg")])
    html = response.content.decode()
    assert response.status_code == 400
    assert "写真として読み込めないファイルです。" in html and "南側が残っている" in html
    assert scene.fresh().status == S.ACCEPTED and not JobPhoto.objects.exists()


def test_a_report_other_than_done_needs_a_note(scene):
    step(scene, "partners:partner_accept", {})
    response = step(scene, "partners:partner_complete", {"outcome": "could_not", "note": ""})
    assert response.status_code == 400
    assert "残っている作業や対応できなかった理由を入力してください。" in response.content.decode()


def test_a_stale_form_is_refused(scene):
    stale = scene.fresh().version
    services.withdraw(scene.job, by=scene.coordinator, reason="依頼者が取り下げ")
    response = scene.client(scene.partner).post(scene.url("partners:partner_accept"), {"accept-version": stale})
    assert response.status_code == 400
    assert "この依頼は先に更新されています" in response.content.decode()
    assert scene.fresh().status == S.WITHDRAWN


def test_a_step_the_status_does_not_allow_is_refused(scene):
    response = step(scene, "partners:partner_complete", {"outcome": "done"})  # not accepted yet
    assert response.status_code == 400
    assert "この操作はできません" in response.content.decode()


def test_a_missing_version_asks_to_reload(scene):
    response = scene.client(scene.partner).post(scene.url("partners:partner_accept"), {})
    assert response.status_code == 400
    assert "画面を読み込み直してください。" in response.content.decode()


def test_the_steps_take_no_get(scene):
    assert scene.client(scene.partner).get(scene.url("partners:partner_accept")).status_code == 405


# --- photos --------------------------------------------------------------------------------------------------

def test_photos_are_served_to_the_organisation_and_to_staff_who_see_site_photos_only(scene):
    step(scene, "partners:partner_accept", {})
    step(scene, "partners:partner_complete", {"outcome": "done"}, photos=[jpeg()])
    photo = JobPhoto.objects.get()
    url = reverse("partners:partner_photo", kwargs={"centre": scene.centre.slug, "pk": photo.pk})
    for user in (scene.partner, factories.make_user(Role.INTAKE, scene.centre),
                 factories.make_user(Role.COORDINATOR, scene.centre)):
        response = scene.client(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
        b"".join(response.streaming_content)
    assert scene.client(scene.rival).get(url).status_code == 404
    for role in (Role.VIEWER, Role.LEADER, Role.RECEPTION):
        assert scene.client(factories.make_user(role, scene.centre)).get(url).status_code == 403


# --- landing and navigation ----------------------------------------------------------------------------------

def test_a_partner_lands_on_the_job_list_after_login_and_the_menu_offers_only_it(scene, client):
    scene.partner.set_password("kawara-2026-pass")
    scene.partner.save()
    response = client.post(reverse("login"), {"username": scene.partner.username, "password": "kawara-2026-pass"},
                           follow=True)
    assert response.redirect_chain[-1][0] == scene.url("partners:partner_jobs")
    menu = page(client, reverse("centre_home", kwargs={"centre": scene.centre.slug}) + "?menu")
    assert scene.url("partners:partner_jobs") in menu
    assert f"/c/{scene.centre.slug}/needs/" not in menu and "/board" not in menu


def test_the_schedule_form_starts_from_the_day_set_and_the_report_starts_empty(scene):
    step(scene, "partners:partner_accept", {})
    day = scene.centre.today() + timedelta(days=3)
    step(scene, "partners:partner_schedule", {"on": day.isoformat(), "note": "午前9時ごろ"})
    response = scene.client(scene.partner).get(scene.url("partners:partner_job"))
    forms = response.context["forms"]
    assert forms["schedule"]["on"].value() == day and forms["schedule"]["note"].value() == "午前9時ごろ"
    assert not forms["complete"]["note"].value()


def test_the_pages_read_in_english(scene):
    client = scene.client(scene.partner)
    client.cookies["django_language"] = "en"
    html = page(client, scene.url("partners:partner_job"))
    assert "Will you take this job?" in html and "Reason for declining" in html and "Whole need" in html
    assert "Open jobs" in page(client, scene.url("partners:partner_jobs"))
