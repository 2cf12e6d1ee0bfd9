# ruff: noqa: F811  (the fixtures imported from conftest_overview are the tests' arguments)
"""Where a prefecture staff member lands from / and the menu's 「県域」 link."""
import pytest
from django.urls import reverse

from ops.prefecture.models import PrefectureMembership
from tests.factories import make_disaster, make_user
from tests.prefecture.conftest_overview import as_member, pref  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_a_prefecture_member_with_no_centre_lands_on_the_overview(pref, as_member):
    answer = as_member.get("/")
    assert answer.status_code == 302
    assert answer["Location"] == reverse("prefecture:overview", kwargs={"disaster": pref.disaster.pk})


def test_a_member_of_several_disasters_chooses(pref, client):
    other = make_disaster(name="二つ目の災害")
    PrefectureMembership.objects.create(user=pref.member, disaster=other)
    client.force_login(pref.member)
    answer = client.get("/")
    assert answer.status_code == 200
    page = answer.content.decode()
    for disaster in (pref.disaster, other):
        assert reverse("prefecture:overview", kwargs={"disaster": disaster.pk}) in page
    # the menu's link goes to the choose page then
    assert f'<a href="{reverse("home")}">県域</a>' in page


def test_centre_staff_still_land_on_their_centre(pref, client):
    PrefectureMembership.objects.create(user=pref.centre_staff, disaster=pref.disaster)
    client.force_login(pref.centre_staff)
    assert client.get("/")["Location"] == reverse("centre_home", kwargs={"centre": pref.a.slug})


def test_the_menu_links_to_the_overview_outside_a_centre(pref, as_member):
    overview = reverse("prefecture:overview", kwargs={"disaster": pref.disaster.pk})
    page = as_member.get(reverse("prefecture:staff", kwargs={"disaster": pref.disaster.pk})).content.decode()
    assert f'<a href="{overview}">県域</a>' in page


def test_no_link_for_staff_without_a_prefecture_role(pref, client):
    client.force_login(pref.centre_staff)
    page = client.get(reverse("login") + "?next=/", follow=True).content.decode()
    assert ">県域</a>" not in page
    client.force_login(make_user())  # no centre, no prefecture role: the choose page, no link
    page = client.get("/").content.decode()
    assert ">県域</a>" not in page and "担当しているセンターがありません" in page
