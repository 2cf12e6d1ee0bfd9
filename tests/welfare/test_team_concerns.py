"""気になったこと on a team's return report: it goes to the welfare staff as casework (a case on the need's
household, or a contact on its open case) and never onto the report the coordinators read. The team is told
only that it was passed on."""
import pytest
from django.urls import reverse

from ops.centres.models import AuditEntry, Role
from ops.dispatch.models import ReturnReport
from ops.dispatch.services import dispatch, file_return_report
from ops.welfare.models import Case, Contact, Household
from tests import factories
from tests.dispatch.conftest import END_OF_DAY, make_ready_need, make_team

pytestmark = pytest.mark.django_db

WORDS = "玄関で座り込んで動けない様子だった"


@pytest.fixture
def centre(db):
    return factories.make_centre(latest_return_time=END_OF_DAY)


@pytest.fixture
def need(centre):
    return make_ready_need(centre, requester_name="気がかり 花子", phone="090-5555-6666")


def slip_url(record):
    return reverse("dispatch:slip", kwargs={"token": record.slip_token})


def leader_files(client, record, **extra):
    data = {"outcome": "continue", "people": record.people, "hours": "2", "work_done": "土砂の撤去",
            "injuries": 0, "heat_illness": 0, **extra}
    return client.post(slip_url(record), data)


def test_a_leaders_concern_opens_a_case_the_welfare_staff_read(client, centre, need):
    record = dispatch(make_team(centre, 2), need)
    response = leader_files(client, record, concerns=["alone", "unwell"], concern_note=WORDS)
    page = response.content.decode()
    assert response.status_code == 200
    assert "福祉担当に伝えました" in page
    case = Case.objects.get()
    assert case.label not in page and WORDS not in page
    assert (case.source, case.status, case.need) == ("team", "open", need)
    assert sorted(case.concerns) == ["alone", "unwell"]
    contact = case.contacts.get()
    assert WORDS in contact.found and "一人暮らし" in contact.found
    assert case.report == ReturnReport.objects.get()
    # No user filed it: the trail names the team's leader, as for the report itself.
    opened = AuditEntry.objects.get(object_type="welfare.case", object_id=str(case.pk))
    assert (opened.user, opened.actor) == (None, f"leader:{record.team.label}")

    welfare = factories.make_user(Role.WELFARE, centre)
    client.force_login(welfare)
    body = client.get(reverse("welfare:case", kwargs={"centre": centre.slug, "pk": case.pk})).content.decode()
    assert WORDS in body


def test_the_coordinators_pages_never_show_the_concern(client_as, client, centre, need):
    record = dispatch(make_team(centre, 2), need)
    leader_files(client, record, concerns=["worrying"], concern_note=WORDS)
    assert Case.objects.exists()
    report = ReturnReport.objects.get()
    assert all(WORDS not in str(getattr(report, f.attname)) for f in ReturnReport._meta.concrete_fields)
    coordinator = client_as(Role.COORDINATOR)
    for url in (reverse("dispatch:teams", kwargs={"centre": centre.slug}),
                reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk})):
        response = coordinator.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert WORDS not in body and "気になる発言があった" not in body, url
        assert Case.objects.get().label not in body, url


def test_staff_filing_a_concern_say_only_that_it_was_passed_on(client_as, centre, need):
    record = dispatch(make_team(centre, 2), need)
    coordinator = client_as(Role.COORDINATOR)
    response = coordinator.post(reverse("dispatch:staff_report", kwargs={"centre": centre.slug,
                                                                          "dispatch": record.pk}),
                                {"outcome": "completed", "people": 2, "hours": "1", "concerns": ["no_food"],
                                 "concern_note": WORDS}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "福祉担当に伝えました" in body
    case = Case.objects.get()
    assert WORDS not in body and case.label not in body
    assert case.opened_by == coordinator.user and WORDS in case.contacts.get().found


def test_the_report_form_offers_the_concerns_on_the_slip(client, centre, need):
    body = client.get(slip_url(dispatch(make_team(centre, 2), need))).content.decode()
    assert "気になったこと（福祉担当に伝えます）" in body and 'value="hoarding"' in body


def test_a_report_without_concerns_opens_nothing(client, centre, need):
    response = leader_files(client, dispatch(make_team(centre, 2), need))
    assert response.status_code == 200
    assert "福祉担当に伝えました" not in response.content.decode()
    assert not Case.objects.exists() and not Household.objects.exists()


def test_a_second_teams_concern_is_a_contact_on_the_same_case(client, centre, need):
    first = dispatch(make_team(centre, 2), need)
    second = dispatch(make_team(centre, 2), need)
    leader_files(client, first, concerns=["alone"])
    leader_files(client, second, concerns=["housing"], concern_note=WORDS)
    case = Case.objects.get()
    assert sorted(case.concerns) == ["alone", "housing"]
    assert Contact.objects.filter(case=case).count() == 2
    assert WORDS in case.contacts.first().found


def test_a_rolled_back_report_opens_no_case(centre, need, monkeypatch):
    from ops.dispatch.services import returns

    def broken(*args, **kwargs):
        raise RuntimeError("the team could not be updated")

    monkeypatch.setattr(returns, "change_team_status", broken)
    record = dispatch(make_team(centre, 2), need)
    with pytest.raises(RuntimeError):
        file_return_report(record, outcome="completed", people=2, hours=1, concerns=["alone"],
                           concern_note=WORDS, via="leader")
    assert not Case.objects.exists() and not Contact.objects.exists()
    assert not ReturnReport.objects.exists()
