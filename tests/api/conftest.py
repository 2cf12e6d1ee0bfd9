"""API test set-up. dvc/settings.py lists the `api` app and dvc/urls.py includes api.urls; should either be
missing (a checkout before the wiring), the session adds them itself (api.test_urls)."""
import pytest
from django.conf import settings
from django.test.utils import override_settings
from rest_framework.test import APIClient

from api.models import ApiToken
from ops.centres.models import Role
from tests import factories

API = "/api/v1"


@pytest.fixture(scope="session", autouse=True)
def api_installed(django_db_setup):
    apps = list(settings.INSTALLED_APPS)
    changes = {}
    if "api" not in apps and "api.apps.ApiConfig" not in apps:
        changes["INSTALLED_APPS"] = [*apps, "api"]
    if settings.ROOT_URLCONF == "dvc.urls":
        from dvc import urls

        if not any(str(p.pattern).startswith("api/") for p in urls.urlpatterns):
            changes["ROOT_URLCONF"] = "api.test_urls"
    override = override_settings(**changes)
    override.enable()
    yield
    override.disable()


@pytest.fixture
def api():
    """An API client speaking Japanese (the default) unless a test says otherwise."""
    return APIClient()


def token_client(user, language="ja"):
    client = APIClient()
    _token, key = ApiToken.issue(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE=language)
    client.user = user
    return client


@pytest.fixture
def as_role(centre):
    """as_role(role) -> an API client with a token of a user holding `role` at `centre`."""
    return lambda role, language="ja": token_client(factories.make_user(role, centre), language)


@pytest.fixture
def admin_api(as_role):
    return as_role(Role.ADMIN)
