# ruff: noqa: F811  (the fixtures imported from conftest_overview are the tests' arguments)
"""Recruitment across centres (/pref/<d>/recruitment/): each centre through its own service, all or none."""
import pytest
from django.urls import reverse

from ops.centres.models import AuditEntry, Centre
from ops.prefecture.services import PrefectureRefused
from ops.prefecture.services.recruitment import set_recruitment_across
from tests.factories import make_centre
from tests.prefecture.conftest_overview import as_member, pref  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def url(pref):
    return reverse("prefecture:recruitment", kwargs={"disaster": pref.disaster.pk})


def test_sets_every_chosen_centre_keeping_scope_and_capacity(pref, as_member):
    before = {c.pk: (c.recruitment_scope, c.daily_capacity) for c in (pref.a, pref.b)}
    answer = as_member.post(url(pref), {"centres": [pref.a.pk, pref.b.pk], "status": "prereg_only", "scope": ""})
    assert answer.status_code == 302
    for centre in (pref.a, pref.b):
        centre.refresh_from_db()
        assert centre.recruitment_status == "prereg_only"
        assert (centre.recruitment_scope, centre.daily_capacity) == before[centre.pk]
    entries = AuditEntry.objects.filter(action="centre.recruitment", user=pref.member)
    assert sorted(entries.values_list("centre_id", flat=True)) == sorted([pref.a.pk, pref.b.pk])


def test_sets_the_scope_when_chosen(pref, as_member):
    scope_a = pref.a.recruitment_scope
    as_member.post(url(pref), {"centres": [pref.b.pk], "status": "none", "scope": "national"})
    pref.b.refresh_from_db()
    pref.a.refresh_from_db()
    assert (pref.b.recruitment_status, pref.b.recruitment_scope) == ("none", "national")
    assert pref.a.recruitment_scope == scope_a and pref.a.recruitment_status != "none"


def test_a_closed_centre_refuses_the_whole_change(pref):
    closed = make_centre(disaster=pref.disaster, status=Centre.Status.CLOSED)
    status_a = pref.a.recruitment_status
    with pytest.raises(PrefectureRefused) as refused:
        set_recruitment_across(pref.disaster, [pref.a, closed], status="none", by=pref.member)
    assert refused.value.field == "centres"
    pref.a.refresh_from_db()
    assert pref.a.recruitment_status == status_a
    assert not AuditEntry.objects.filter(action="centre.recruitment").exists()


def test_a_refusal_part_way_rolls_every_centre_back(pref):
    """The centre service refuses the second centre (a capacity out of range): the first is rolled back."""
    Centre.objects.filter(pk=pref.b.pk).update(daily_capacity=10**6)
    pref.b.refresh_from_db()
    status_a = pref.a.recruitment_status
    with pytest.raises(PrefectureRefused):
        set_recruitment_across(pref.disaster, [pref.a, pref.b], status="none", by=pref.member)
    pref.a.refresh_from_db()
    assert pref.a.recruitment_status == status_a
    assert not AuditEntry.objects.filter(action="centre.recruitment").exists()


def test_another_disasters_centre_is_refused(pref):
    other = make_centre()
    status_a = pref.a.recruitment_status
    with pytest.raises(PrefectureRefused):
        set_recruitment_across(pref.disaster, [pref.a, other], status="none", by=pref.member)
    pref.a.refresh_from_db()
    assert pref.a.recruitment_status == status_a != "none"


def test_the_form_shows_refusals_as_field_errors(pref, as_member):
    closed = make_centre(disaster=pref.disaster, status=Centre.Status.CLOSED)
    status_a = pref.a.recruitment_status
    answer = as_member.post(url(pref), {"centres": [pref.a.pk, closed.pk], "status": "none"})
    assert answer.status_code == 400
    assert "選べないセンター" in answer.content.decode()
    assert as_member.post(url(pref), {"status": "none"}).status_code == 400
    assert as_member.post(url(pref), {"centres": [pref.a.pk], "status": "bogus"}).status_code == 400
    assert as_member.post(url(pref), {"centres": ["x"], "status": "none", "scope": "moon"}).status_code == 400
    pref.a.refresh_from_db()
    assert pref.a.recruitment_status == status_a != "none"


def test_the_overview_lists_only_centres_still_open_to_choose(pref, as_member):
    closed = make_centre(disaster=pref.disaster, name="閉所した丁センター", status=Centre.Status.CLOSED)
    page = as_member.get(reverse("prefecture:overview", kwargs={"disaster": pref.disaster.pk})).content.decode()
    assert f'value="{pref.a.pk}"' in page and f'value="{closed.pk}"' not in page
