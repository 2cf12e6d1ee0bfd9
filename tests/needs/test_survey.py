import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from ops.centres.models import Event, Role
from ops.needs.models import NeedStatus
from ops.needs.services import record_survey
from ops.welfare.models import Case
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_survey_sets_demand_and_moves_new_to_surveyed(centre):
    surveyor = factories.make_user(Role.INTAKE, centre)
    need = factories.make_need(centre, people_needed=5)
    survey = record_survey(need, by=surveyor, damage_type="above_floor", people_needed=8, days_needed=2,
                           tools="スコップ、一輪車", estimate_reason="6畳2間、泥10cm")
    need.refresh_from_db()
    assert need.status == NeedStatus.SURVEYED
    assert (need.people_needed, need.days_needed, need.tools_needed) == (8, 2, "スコップ、一輪車")
    assert survey.surveyor == surveyor
    assert need.history.last().to_status == "surveyed"
    assert Event.objects.get(kind="need.changed").payload["need"]["people_needed"] == 8


def test_a_resurvey_of_a_ready_need_keeps_its_status(centre):
    need = factories.make_need(centre, status=NeedStatus.READY)
    record_survey(need, by=None, damage_type="below_floor", people_needed=3, days_needed=1)
    need.refresh_from_db()
    assert need.status == NeedStatus.READY and need.people_needed == 3


def test_work_volunteers_must_not_do_is_refused_and_referred(centre):
    need = factories.make_need(centre, work_types=["tarp"])
    record_survey(need, by=None, damage_type="partial", people_needed=3, days_needed=1, volunteer_ok=False,
                  refusal_reason="屋根上の作業", referred_to="技術系NPO")
    need.refresh_from_db()
    assert need.status == NeedStatus.CANCELLED and need.closure == "referred"
    assert "屋根上の作業" in need.history.last().reason


def test_refusal_needs_a_reason(centre):
    need = factories.make_need(centre)
    with pytest.raises(ValidationError) as err:
        record_survey(need, by=None, damage_type="partial", people_needed=3, days_needed=1, volunteer_ok=False)
    assert "refusal_reason" in err.value.message_dict
    assert not need.surveys.exists()


def test_crisis_found_at_survey_alerts_the_head(centre, django_capture_on_commit_callbacks, eager):
    factories.make_user(Role.ADMIN, centre, email="head@example.jp")
    need = factories.make_need(centre)
    with django_capture_on_commit_callbacks(execute=True):
        record_survey(need, by=None, damage_type="above_floor", people_needed=5, days_needed=1, welfare="crisis")
    case = Case.objects.of_need(need).get()
    assert (case.level, case.source, case.priority) == ("crisis", "survey", Case.Priority.URGENT)
    assert len(mail.outbox) == 1


def test_survey_page_saves_with_a_photo(client_as, centre, jpeg_upload):
    need = factories.make_need(centre)
    client = client_as(Role.INTAKE)
    data = {"damage_type": "below_floor", "people_needed": "4", "days_needed": "1", "volunteer_ok": "yes",
            "welfare": "none", "photo": jpeg_upload(), "photo_consent": "on"}
    response = client.post(reverse("needs:survey", kwargs={"centre": centre.slug, "pk": need.pk}), data)
    assert response.status_code == 302
    assert need.surveys.get().photos.count() == 1


def test_survey_page_refuses_a_photo_without_consent_and_saves_nothing(client_as, centre, jpeg_upload):
    need = factories.make_need(centre)
    data = {"damage_type": "below_floor", "people_needed": "4", "days_needed": "1", "volunteer_ok": "yes",
            "welfare": "none", "photo": jpeg_upload()}
    response = client_as(Role.INTAKE).post(reverse("needs:survey", kwargs={"centre": centre.slug, "pk": need.pk}),
                                           data)
    assert response.status_code == 200 and "photo_consent" in response.context["form"].errors
    assert not need.surveys.exists()
