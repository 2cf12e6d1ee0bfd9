# ruff: noqa: F811  (the fixtures imported from conftest_overview are the tests' arguments)
"""県域スタッフ (/pref/<d>/staff/): add an existing active account by its login name, remove one; never the last."""
import pytest
from django.urls import reverse

from ops.centres.models import AuditEntry
from ops.prefecture.models import PrefectureMembership
from ops.prefecture.services import PrefectureRefused
from ops.prefecture.services.staff import add_member, remove_member
from tests.factories import make_user
from tests.prefecture.conftest_overview import as_member, pref  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def members(pref):
    return set(PrefectureMembership.objects.filter(disaster=pref.disaster).values_list("user__username", flat=True))


def test_a_member_adds_an_account_by_its_login_name(pref, as_member):
    newcomer = make_user(username="kenshoku2", first_name="二郎")
    answer = as_member.post(reverse("prefecture:staff", kwargs={"disaster": pref.disaster.pk}),
                            {"username": " kenshoku2 "})
    assert answer.status_code == 302
    assert newcomer.username in members(pref)
    entry = AuditEntry.objects.get(action="prefecture.add_member")
    assert entry.user == pref.member and entry.centre_id is None


@pytest.mark.parametrize(("username", "words"), [("", "ログイン名"), ("nobody", "有効なアカウント"),
                                                 ("inactive", "有効なアカウント"), ("member", "すでに")])
def test_adding_refusals_are_field_errors_and_write_nothing(pref, as_member, username, words):
    make_user(username="inactive", is_active=False)
    if username == "member":
        username = pref.member.username
    before = members(pref)
    answer = as_member.post(reverse("prefecture:staff", kwargs={"disaster": pref.disaster.pk}), {"username": username})
    assert answer.status_code == 400 and words in answer.content.decode()
    assert members(pref) == before and not AuditEntry.objects.filter(action="prefecture.add_member").exists()


def test_removing_a_member_and_never_the_last(pref, as_member):
    second = add_member(pref.disaster, username=make_user(username="kenshoku3").username, by=pref.member)
    url = reverse("prefecture:staff_remove", kwargs={"disaster": pref.disaster.pk, "member": second.pk})
    assert as_member.post(url).status_code == 302
    assert members(pref) == {pref.member.username}
    assert AuditEntry.objects.filter(action="prefecture.remove_member").count() == 1
    mine = PrefectureMembership.objects.get(user=pref.member, disaster=pref.disaster)
    last = as_member.post(reverse("prefecture:staff_remove", kwargs={"disaster": pref.disaster.pk, "member": mine.pk}))
    assert last.status_code == 400 and "最後の県域スタッフ" in last.content.decode()
    assert members(pref) == {pref.member.username}


def test_a_member_may_remove_themself_when_others_stay(pref, as_member):
    add_member(pref.disaster, username=make_user(username="kenshoku4").username, by=pref.member)
    mine = PrefectureMembership.objects.get(user=pref.member, disaster=pref.disaster)
    answer = as_member.post(reverse("prefecture:staff_remove", kwargs={"disaster": pref.disaster.pk, "member": mine.pk}))
    assert answer.status_code == 302 and answer["Location"] == reverse("home")
    assert members(pref) == {"kenshoku4"}


def test_another_disasters_member_is_not_found_here(pref):
    theirs = PrefectureMembership.objects.get(user=pref.elsewhere)
    with pytest.raises(PrefectureRefused):
        remove_member(pref.disaster, member_id=theirs.pk, by=pref.member)
    assert PrefectureMembership.objects.filter(pk=theirs.pk).exists()


def test_a_superuser_adds_members_and_removing_is_post_only(pref, client):
    client.force_login(pref.admin)
    make_user(username="kenshoku5")
    assert client.post(reverse("prefecture:staff", kwargs={"disaster": pref.disaster.pk}),
                       {"username": "kenshoku5"}).status_code == 302
    mine = PrefectureMembership.objects.get(user=pref.member, disaster=pref.disaster)
    assert client.get(reverse("prefecture:staff_remove", kwargs={"disaster": pref.disaster.pk,
                                                                 "member": mine.pk})).status_code == 405
