"""Check-in: idempotent, rules enforced, one event per new attendance."""
from datetime import timedelta

import pytest

from ops.centres.models import Centre
from ops.volunteers.models import Attendance, Volunteer
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import check_in
from tests import factories
from tests.volunteers.conftest import HEALTHY, events

pytestmark = pytest.mark.django_db


def test_check_in_creates_the_attendance_and_publishes_it(centre, volunteer, today):
    attendance = check_in(volunteer, centre, on=today, via="phone", health=HEALTHY, insurance_confirmed=True)
    assert attendance.created is True
    assert attendance.date == today and attendance.checked_out_at is None
    [event] = events(centre, "attendance.checked_in")
    assert event.payload == {"attendance": {"id": attendance.pk, "date": today.isoformat(), "base_id": None,
                                            "team_id": None, "in": True, "head_count": 1}}
    assert event.public == {"volunteers_today": 1}
    assert volunteer.name not in str(event.payload)


def test_checking_in_twice_is_the_same_check_in(centre, volunteer, today):
    first = check_in(volunteer, centre, on=today, via="phone", health=HEALTHY, insurance_confirmed=True)
    second = check_in(volunteer, centre, on=today, via="staff", health=HEALTHY, insurance_confirmed=True)
    assert second.pk == first.pk
    assert second.created is False
    assert Attendance.objects.count() == 1
    assert len(events(centre, "attendance.checked_in")) == 1


def test_a_poor_health_answer_stops_the_check_in(centre, volunteer, today):
    with pytest.raises(VolunteerError) as err:
        check_in(volunteer, centre, on=today, health={**HEALTHY, "no_fever": False}, insurance_confirmed=True)
    assert err.value.code == "health"
    assert not Attendance.objects.exists()
    assert not events(centre, "attendance.checked_in")


def test_an_empty_health_check_is_not_a_health_check(centre, volunteer, today):
    with pytest.raises(VolunteerError):
        check_in(volunteer, centre, on=today, health={}, insurance_confirmed=True)


def test_unconfirmed_insurance_is_refused_with_the_signup_link(centre, volunteer, today):
    centre.insurance_signup_url = "https://example.jp/hoken"
    centre.save()
    with pytest.raises(VolunteerError) as err:
        check_in(volunteer, centre, on=today, health=HEALTHY, insurance_confirmed=False)
    assert err.value.code == "insurance" and err.value.link == "https://example.jp/hoken"
    assert not Attendance.objects.exists()


def test_uninsured_volunteer_who_enrols_on_the_spot_is_checked_in(centre, today):
    volunteer = factories.make_volunteer(insurance=Volunteer.Insurance.NONE)
    with pytest.raises(VolunteerError):
        check_in(volunteer, centre, on=today, health=HEALTHY, insurance_confirmed=True)
    check_in(volunteer, centre, on=today, health=HEALTHY, insurance_confirmed=True,
             insurance=Volunteer.Insurance.ENROLLED_HERE)
    volunteer.refresh_from_db()
    assert volunteer.insurance == Volunteer.Insurance.ENROLLED_HERE


def test_insurance_not_required_checks_in_without_it(centre, today):
    centre.insurance_required = False
    centre.save()
    volunteer = factories.make_volunteer(insurance=Volunteer.Insurance.NONE)
    assert check_in(volunteer, centre, on=today, health=HEALTHY, insurance_confirmed=False).created


def test_centre_age_rules_apply_at_check_in(centre, today):
    # Registered at a centre taking 15-year-olds, checking in at one that takes 18 and over.
    centre.min_age = 18
    centre.save()
    volunteer = factories.make_volunteer(age_band=Volunteer.AgeBand.AGE_16_17, guardian_consent=True)
    with pytest.raises(VolunteerError) as err:
        check_in(volunteer, centre, on=today, health=HEALTHY, insurance_confirmed=True)
    assert err.value.code == "too_young"


def test_minor_without_guardian_consent_is_refused_at_check_in(centre, today):
    volunteer = factories.make_volunteer(age_band=Volunteer.AgeBand.AGE_16_17, guardian_consent=False)
    with pytest.raises(VolunteerError) as err:
        check_in(volunteer, centre, on=today, health=HEALTHY, insurance_confirmed=True)
    assert err.value.code == "guardian_consent"


def test_no_check_in_for_a_future_day(centre, volunteer, today):
    with pytest.raises(VolunteerError):
        check_in(volunteer, centre, on=today + timedelta(days=1), health=HEALTHY, insurance_confirmed=True)


def test_a_closed_centre_takes_no_check_ins(centre, volunteer, today):
    centre.status = Centre.Status.CLOSED
    centre.save()
    with pytest.raises(VolunteerError) as err:
        check_in(volunteer, centre, on=today, health=HEALTHY, insurance_confirmed=True)
    assert err.value.code == "closed"


def test_not_recruiting_refuses_walk_ins(centre, volunteer, today):
    centre.recruitment_status = Centre.Recruitment.NONE
    centre.save()
    with pytest.raises(VolunteerError) as err:
        check_in(volunteer, centre, on=today, health=HEALTHY, insurance_confirmed=True)
    assert err.value.code == "not_recruiting"


def test_a_base_of_another_centre_is_refused(centre, other_centre, volunteer, today):
    with pytest.raises(VolunteerError):
        check_in(volunteer, centre, on=today, health=HEALTHY, insurance_confirmed=True,
                 base=other_centre.bases.first())


def test_same_volunteer_checks_in_at_two_centres_once_each(centre, other_centre, volunteer, today):
    check_in(volunteer, centre, on=today, health=HEALTHY, insurance_confirmed=True)
    check_in(volunteer, other_centre, on=today, health=HEALTHY, insurance_confirmed=True)
    assert Attendance.objects.filter(volunteer=volunteer).count() == 2
