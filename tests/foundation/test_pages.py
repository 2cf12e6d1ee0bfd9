import pytest
from django.urls import reverse

from ops.centres.models import Role
from tests import factories

pytestmark = [pytest.mark.smoke, pytest.mark.django_db]


def test_public_home_lists_open_centres_without_login(client, centre):
    response = client.get("/")
    assert response.status_code == 200
    assert centre.name in response.content.decode()
    assert 'lang="ja"' in response.content.decode()


def test_language_switch_to_english(client, centre):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True)
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_staff_login_then_home_routes_to_the_centre(client, centre):
    user = factories.make_user(Role.INTAKE, centre, password="a-long-enough-pass")
    response = client.post(reverse("login"), {"username": user.username, "password": "a-long-enough-pass"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("centre_home", kwargs={"centre": centre.slug})


def test_logout_ends_the_session(client, centre):
    client.force_login(factories.make_user(Role.INTAKE, centre))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # the anonymous public home again


def test_centre_home_refuses_users_of_another_centre(client, centre, other_centre):
    client.force_login(factories.make_user(Role.ADMIN, other_centre))
    response = client.get(reverse("centre_home", kwargs={"centre": centre.slug}))
    assert response.status_code == 403


def test_centre_home_sends_anonymous_to_login(client, centre):
    response = client.get(reverse("centre_home", kwargs={"centre": centre.slug}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_menu_shows_only_what_the_role_opens(client, centre):
    client.force_login(factories.make_user(Role.VIEWER, centre))
    response = client.get(reverse("centre_home", kwargs={"centre": centre.slug}) + "?menu")
    assert response.status_code == 200
    body = response.content.decode()
    assert "ボランティア受付" not in body  # viewers do not see reception


def test_login_locks_out_after_repeated_failures(client, centre):
    user = factories.make_user(Role.INTAKE, centre, password="a-long-enough-pass")
    for _ in range(5):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.username, "password": "a-long-enough-pass"})
    assert response.status_code == 429
    assert "ログインが一時停止されています" in response.content.decode()


def test_unknown_page_is_a_japanese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
