"""The survey's 「技術系（協力団体へ依頼）」 mark: roof work volunteers must not do waits on hold for a partner
organisation (it is not cancelled as referred) and appears on the technical desk; technical work beside work
volunteers may do keeps the need on the volunteers' way and shows it as technical too."""
import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.needs.models import Closure, NeedStatus
from ops.partners import figures
from tests.partners.conftest_desk import *  # noqa: F403 (the desk's fixtures)
from tests.partners.conftest_desk import client_of

pytestmark = pytest.mark.django_db


def survey(**overrides):
    data = {"work_class": "屋根の応急処置", "people_needed": 2, "days_needed": 1,
            "volunteer_ok": "yes", "welfare": "none"}
    data.update(overrides)
    return data


def post_survey(client, user, need, data):
    return client_of(client, user).post(reverse("needs:survey", kwargs={"centre": need.centre.slug, "pk": need.pk}),
                                        data)


def test_the_survey_form_has_the_technical_mark(client, centre, staff, roof_need):
    page = client_of(client, staff[Role.COORDINATOR]).get(
        reverse("needs:survey", kwargs={"centre": centre.slug, "pk": roof_need.pk}))
    assert "技術系（協力団体へ依頼）" in page.content.decode() and 'name="technical"' in page.content.decode()


def test_roof_work_marked_technical_and_not_for_volunteers_waits_on_hold_on_the_desk(client, centre, staff,
                                                                                      roof_need):
    response = post_survey(client, staff[Role.COORDINATOR], roof_need, survey(
        volunteer_ok="no", technical="on", refusal_reason="2階の屋根", damage_type=_damage()))
    assert response.status_code == 302, response.content.decode()[:2000]
    roof_need.refresh_from_db()
    assert roof_need.status == NeedStatus.ON_HOLD and roof_need.closure != Closure.REFERRED
    assert roof_need.technical and roof_need.surveys.get().technical
    assert roof_need in figures.waiting_needs(centre)
    desk = client.get(reverse("partners:staff_desk", kwargs={"centre": centre.slug})).content.decode()
    waiting = desk[desk.index('id="waiting"'):desk.index('id="open-jobs"')]
    assert roof_need.label in waiting and "屋根のブルーシート張り" in waiting


def test_not_for_volunteers_without_the_mark_is_still_referred_and_closed(client, centre, staff, roof_need):
    post_survey(client, staff[Role.COORDINATOR], roof_need, survey(volunteer_ok="no", refusal_reason="構造に関わる",
                                                                   damage_type=_damage()))
    roof_need.refresh_from_db()
    assert (roof_need.status, roof_need.closure) == (NeedStatus.CANCELLED, Closure.REFERRED)
    assert roof_need not in figures.waiting_needs(centre)


def test_technical_but_volunteer_ok_stays_on_the_volunteers_way_and_shows_as_technical(client, centre, staff):
    from tests import factories

    need = factories.make_need(centre, work_types=["mud"], status="new")
    response = post_survey(client, staff[Role.COORDINATOR], need, survey(technical="on", damage_type=_damage()))
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.SURVEYED and need.technical
    assert need in figures.technical_needs(centre) and need in figures.waiting_needs(centre)
    desk = client.get(reverse("partners:staff_desk", kwargs={"centre": centre.slug})).content.decode()
    assert need.label in desk


def _damage():
    from ops.needs.models import Survey

    return Survey.Damage.values[0]
