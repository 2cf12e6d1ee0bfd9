"""The centre staff's side of 三者連携: the organisations' pages, offering and withdrawing from the need page,
the technical desk. Refusals come back on the page they were typed on (400, the input kept)."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ops.centres.models import Role
from ops.needs.models import NeedStatus, WorkType
from ops.partners import figures, services
from ops.partners.models import Organisation, PartnerJob
from tests import factories
from tests.partners.conftest_desk import *  # noqa: F403 (the desk's fixtures)
from tests.partners.conftest_desk import client_of

pytestmark = pytest.mark.django_db


def url(name, centre, **kw):
    return reverse(f"partners:{name}", kwargs={"centre": centre.slug, **kw})


# --- organisations -------------------------------------------------------------------------------------------

def test_the_list_shows_each_organisation_with_its_capabilities_and_open_jobs(client, centre, staff, crews,
                                                                              roof_need):
    roof, heavy = crews
    services.offer(roof_need, roof, by=staff[Role.COORDINATOR])
    page = client_of(client, staff[Role.VIEWER]).get(url("staff_organisations", centre))
    assert page.status_code == 200
    text = page.content.decode()
    assert "屋根ネット信州" in text and "重機の会" in text
    assert "屋根・ブルーシート" in text and "チェーンソー" in text and "重機" in text
    assert "高所 太郎" in text and "026-000-1111" in text
    rows = {row["organisation_id"]: row["open"] for row in figures.by_organisation(centre)}
    assert rows == {roof.pk: 1}
    assert f'data-organisation="{roof.pk}"' in text
    # the viewer reads; the edit links are the administrator's
    assert url("staff_organisation_new", centre) not in text


def test_an_administrator_registers_an_organisation_with_its_capabilities(client, centre, staff):
    response = client_of(client, staff[Role.ADMIN]).post(url("staff_organisation_new", centre), {
        "name": "  床下ボランティア  ", "kind": "technical", "capabilities": ["underfloor", "transport"],
        "contact_name": "床下 次郎", "phone": "090-0000-0000", "email": "", "notes": "平日のみ", "active": "on"})
    org = Organisation.objects.get(centre=centre)
    assert response.status_code == 302 and response["Location"] == url("staff_organisation", centre, pk=org.pk)
    assert (org.name, org.capabilities, org.notes, org.active) == ("床下ボランティア", ["underfloor", "transport"],
                                                                     "平日のみ", True)


def test_a_name_taken_is_refused_at_the_name_field_with_the_input_kept(client, centre, staff, crews):
    response = client_of(client, staff[Role.ADMIN]).post(url("staff_organisation_new", centre), {
        "name": "屋根ネット信州", "kind": "npo", "capabilities": ["heavy"], "notes": "打ち込んだメモ"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "同じ名前の団体がすでに登録されています。" in text and "打ち込んだメモ" in text
    assert 'value="heavy" checked' in text or 'value="heavy"\n' not in text
    assert response.context["form"].errors["name"]
    assert Organisation.objects.filter(centre=centre).count() == 2


def test_an_unknown_capability_is_a_400_not_a_500(client, centre, staff):
    response = client_of(client, staff[Role.ADMIN]).post(url("staff_organisation_new", centre), {
        "name": "団体", "kind": "npo", "capabilities": ["flying"]})
    assert response.status_code == 400
    assert not Organisation.objects.filter(centre=centre).exists()


def test_an_administrator_edits_an_organisation_and_can_pause_it(client, centre, staff, crews):
    roof = crews[0]
    page = client_of(client, staff[Role.ADMIN]).get(url("staff_organisation", centre, pk=roof.pk))
    assert page.status_code == 200 and 'value="roof"' in page.content.decode()
    response = client.post(url("staff_organisation", centre, pk=roof.pk), {
        "name": "屋根ネット信州", "kind": "technical", "capabilities": ["roof"]})
    assert response.status_code == 302
    roof.refresh_from_db()
    assert roof.capabilities == ["roof"] and roof.active is False


def test_an_edit_to_another_organisations_name_is_refused_and_kept(client, centre, staff, crews):
    roof, heavy = crews
    response = client_of(client, staff[Role.ADMIN]).post(url("staff_organisation", centre, pk=roof.pk), {
        "name": "重機の会", "kind": "technical", "capabilities": ["roof"], "notes": "そのまま残る"})
    assert response.status_code == 400 and "そのまま残る" in response.content.decode()
    roof.refresh_from_db()
    assert roof.name == "屋根ネット信州"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.INTAKE, Role.VIEWER, Role.LEADER])
def test_only_administrators_create_or_edit_organisations(client, centre, staff, crews, role):
    c = client_of(client, staff[role])
    assert c.get(url("staff_organisation_new", centre)).status_code == 403
    assert c.post(url("staff_organisation", centre, pk=crews[0].pk), {"name": "乗っ取り", "kind": "npo"}
                  ).status_code == 403
    assert Organisation.objects.filter(name="乗っ取り").count() == 0


def test_another_centres_organisation_is_a_404(client, centre, staff):
    other = factories.make_centre()
    foreign = services.save_organisation(other, by=None, name="よその団体")
    c = client_of(client, staff[Role.ADMIN])
    assert c.get(url("staff_organisation", centre, pk=foreign.pk)).status_code == 404
    assert c.post(url("staff_organisation_invite", centre, pk=foreign.pk), {}).status_code == 404


# --- the need page: offer and withdraw -------------------------------------------------------------------------

def test_the_need_page_offers_the_organisations_able_to_do_the_work_first(client, centre, staff, crews, roof_need):
    roof, heavy = crews
    page = client_of(client, staff[Role.COORDINATOR]).get(reverse("needs:detail", kwargs={
        "centre": centre.slug, "pk": roof_need.pk}))
    text = page.content.decode()
    assert "協力団体への依頼" in text and 'id="offer-form"' in text
    panel = text[text.index('id="id_organisation"'):]
    assert panel.index("屋根ネット信州") < panel.index("重機の会")  # able to do the roof first
    assert "ニーズ全体" in text and "屋根のブルーシート張り" in text
    assert 'data-capability="roof"' in text and 'data-capabilities="chainsaw roof"' in text


def test_a_viewer_sees_the_jobs_but_no_offer_form(client, centre, staff, crews, roof_need):
    services.offer(roof_need, crews[0], by=staff[Role.COORDINATOR], note="梯子は団体持参")
    text = client_of(client, staff[Role.VIEWER]).get(reverse("needs:detail", kwargs={
        "centre": centre.slug, "pk": roof_need.pk})).content.decode()
    assert "屋根ネット信州" in text and "依頼中" in text
    assert 'id="offer-form"' not in text and "withdraw-form" not in text


def test_offering_from_the_need_page_creates_the_job(client, centre, staff, crews, roof_need):
    roof = crews[0]
    tarp = WorkType.objects.get(code="tarp")
    response = client_of(client, staff[Role.COORDINATOR]).post(url("staff_offer", centre, pk=roof_need.pk), {
        "work": str(tarp.pk), "organisation": str(roof.pk), "note": "2階屋根の南側"})
    assert response.status_code == 302
    job = PartnerJob.objects.get(need=roof_need)
    assert (job.organisation, job.work_type, job.note, job.status) == (roof, tarp, "2階屋根の南側", "offered")
    roof_need.refresh_from_db()
    assert roof_need.technical
    page = client.get(response["Location"]).content.decode()
    assert "2階屋根の南側" in page and "取り下げる" in page


def test_the_whole_need_can_be_offered(client, centre, staff, crews, roof_need):
    client_of(client, staff[Role.COORDINATOR]).post(url("staff_offer", centre, pk=roof_need.pk), {
        "work": "whole", "organisation": str(crews[1].pk)})
    assert PartnerJob.objects.get(need=roof_need).work_type is None


def test_an_organisation_unable_to_do_the_work_is_refused_on_the_need_page_with_the_input_kept(
        client, centre, staff, crews, roof_need):
    heavy = crews[1]
    tarp = WorkType.objects.get(code="tarp")
    response = client_of(client, staff[Role.COORDINATOR]).post(url("staff_offer", centre, pk=roof_need.pk), {
        "work": str(tarp.pk), "organisation": str(heavy.pk), "note": "打ったままの依頼内容"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "重機の会は「屋根・ブルーシート」に対応していません。" in text
    assert "打ったままの依頼内容" in text
    assert f'value="{heavy.pk}" data-capabilities="heavy" selected' in text
    assert response.context["offer_form"].errors["organisation"]
    assert not PartnerJob.objects.exists()


def test_the_same_work_offered_twice_is_refused_at_the_work_field(client, centre, staff, crews, roof_need):
    roof = crews[0]
    services.offer(roof_need, roof, by=staff[Role.COORDINATOR])
    response = client_of(client, staff[Role.COORDINATOR]).post(url("staff_offer", centre, pk=roof_need.pk), {
        "work": "whole", "organisation": str(roof.pk)})
    assert response.status_code == 400 and response.context["offer_form"].errors["work"]
    assert PartnerJob.objects.count() == 1


@pytest.mark.parametrize("data", [
    {}, {"work": "nonsense", "organisation": "1"}, {"work": "whole", "organisation": "x"},
    {"work": "whole", "organisation": "999999"},
])
def test_bad_offer_input_is_a_400(client, centre, staff, crews, roof_need, data):
    response = client_of(client, staff[Role.COORDINATOR]).post(url("staff_offer", centre, pk=roof_need.pk), data)
    assert response.status_code == 400
    assert not PartnerJob.objects.exists()


def test_another_centres_organisation_cannot_be_offered(client, centre, staff, roof_need):
    foreign = services.save_organisation(factories.make_centre(), by=None, name="よその団体", capabilities=["roof"])
    response = client_of(client, staff[Role.COORDINATOR]).post(url("staff_offer", centre, pk=roof_need.pk), {
        "work": "whole", "organisation": str(foreign.pk)})
    assert response.status_code == 400 and not PartnerJob.objects.exists()


def test_withdrawing_needs_a_reason_and_keeps_it_on_a_refusal(client, centre, staff, crews, roof_need):
    job = services.offer(roof_need, crews[0], by=staff[Role.COORDINATOR])
    c = client_of(client, staff[Role.COORDINATOR])
    response = c.post(url("staff_withdraw", centre, pk=roof_need.pk, job=job.pk), {"reason": "", "version": job.version})
    assert response.status_code == 400
    job.refresh_from_db()
    assert job.status == "offered"
    response = c.post(url("staff_withdraw", centre, pk=roof_need.pk, job=job.pk),
                      {"reason": "家主が業者に頼んだ", "version": job.version})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.decline_reason) == ("withdrawn", "家主が業者に頼んだ")
    assert [h.to_status for h in job.history.all()] == ["offered", "withdrawn"]
    page = c.get(response["Location"]).content.decode()
    assert "家主が業者に頼んだ" in page and "取下げ" in page


def test_a_stale_withdraw_form_is_refused_with_the_reason_kept(client, centre, staff, crews, roof_need, partner):
    job = services.offer(roof_need, crews[0], by=staff[Role.COORDINATOR])
    stale = job.version
    services.accept(job, by=partner)
    response = client_of(client, staff[Role.COORDINATOR]).post(
        url("staff_withdraw", centre, pk=roof_need.pk, job=job.pk), {"reason": "古い画面から", "version": stale})
    assert response.status_code == 400
    text = response.content.decode()
    assert "先に更新されています" in text and "古い画面から" in text
    job.refresh_from_db()
    assert job.status == "accepted"


def test_a_job_of_another_need_is_a_404(client, centre, staff, crews, roof_need):
    job = services.offer(roof_need, crews[0], by=staff[Role.COORDINATOR])
    other = factories.make_need(centre)
    response = client_of(client, staff[Role.COORDINATOR]).post(
        url("staff_withdraw", centre, pk=other.pk, job=job.pk), {"reason": "x"})
    assert response.status_code == 404


# --- the desk ---------------------------------------------------------------------------------------------------

def test_the_desk_lists_waiting_needs_open_jobs_and_recent_answers(client, centre, staff, crews, roof_need,
                                                                   partner):
    roof, heavy = crews
    coordinator = staff[Role.COORDINATOR]
    log_need = factories.make_need(centre, work_types=["chainsaw"], district="山際", status="new")
    plain_need = factories.make_need(centre, work_types=["mud"], status="new")
    offered = factories.make_need(centre, work_types=["heavy"], status="new")
    job = services.offer(offered, heavy, by=coordinator)
    PartnerJob.objects.filter(pk=job.pk).update(offered_at=timezone.now() - timedelta(days=3))
    declined_need = factories.make_need(centre, work_types=["tarp"], status="new")
    declined = services.offer(declined_need, roof, by=coordinator)
    services.decline(declined, by=partner, reason="高所作業車が出払っている")

    page = client_of(client, staff[Role.VIEWER]).get(url("staff_desk", centre))
    assert page.status_code == 200
    text = page.content.decode()
    waiting = text[text.index('id="waiting"'):text.index('id="open-jobs"')]
    for need in (roof_need, log_need, declined_need):
        assert need.label in waiting
    assert plain_need.label not in waiting and offered.label not in waiting
    assert "倒木・流木の切断（チェーンソー）" in waiting and "山際" in waiting
    open_jobs = text[text.index('id="open-jobs"'):text.index('id="recent"')]
    assert offered.label in open_jobs and "重機の会" in open_jobs and "3日" in open_jobs
    recent = text[text.index('id="recent"'):]
    assert declined_need.label in recent and "辞退" in recent
    assert reverse("needs:detail", kwargs={"centre": centre.slug, "pk": roof_need.pk}) in text
    # the counts are the one home's
    summary = figures.summary(centre, centre.today())
    assert page.context["summary"] == summary
    assert (summary["waiting"], summary["offered"], summary["declined_total"]) == (3, 1, 1)
    assert 'data-count="waiting"><div class="n">3<' in text


def test_a_volunteer_ok_technical_need_is_waiting_until_offered(client, centre, staff, crews):
    need = factories.make_need(centre, work_types=["mud"], technical=True, status="surveyed")
    assert need in figures.waiting_needs(centre)
    services.offer(need, crews[0], by=staff[Role.COORDINATOR])
    assert need not in figures.waiting_needs(centre)


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.PARTNER])
def test_roles_without_the_needs_do_not_open_the_desk(client, centre, staff, role):
    user = staff.get(role) or factories.make_user(role, centre)
    c = client_of(client, user)
    for name in ("staff_desk", "staff_organisations"):
        assert c.get(url(name, centre)).status_code == 403


def test_the_desk_is_on_the_menu_of_roles_that_read_needs(client, centre, staff):
    menu = client_of(client, staff[Role.VIEWER]).get(reverse("centre_home", kwargs={"centre": centre.slug}) + "?menu")
    assert url("staff_desk", centre) in menu.content.decode()


def test_a_partner_login_gets_403_on_every_desk_page(client, centre, staff, crews, roof_need, partner):
    job = services.offer(roof_need, crews[0], by=staff[Role.COORDINATOR])
    c = client_of(client, partner)
    gets = [url("staff_desk", centre), url("staff_organisations", centre), url("staff_organisation_new", centre),
            url("staff_organisation", centre, pk=crews[0].pk)]
    posts = [url("staff_organisation_invite", centre, pk=crews[0].pk),
             url("staff_organisation_remove_login", centre, pk=crews[0].pk, member=partner.pk),
             url("staff_offer", centre, pk=roof_need.pk),
             url("staff_withdraw", centre, pk=roof_need.pk, job=job.pk)]
    assert [c.get(u).status_code for u in gets] == [403] * len(gets)
    assert [c.post(u, {"reason": "x", "work": "whole", "organisation": crews[1].pk}).status_code
            for u in posts] == [403] * len(posts)
    assert PartnerJob.objects.count() == 1 and crews[0].users.filter(pk=partner.pk).exists()
    assert roof_need.status == NeedStatus.NEW


def test_a_closed_need_shows_its_jobs_but_no_offer_form(client, centre, staff, crews):
    need = factories.make_need(centre, status=NeedStatus.COMPLETED)
    text = client_of(client, staff[Role.COORDINATOR]).get(reverse("needs:detail", kwargs={
        "centre": centre.slug, "pk": need.pk})).content.decode()
    assert "協力団体への依頼" in text and 'id="offer-form"' not in text
