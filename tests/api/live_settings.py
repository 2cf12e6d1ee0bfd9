"""Settings for a live server with the API, used only while dvc/settings.py and dvc/urls.py do not
include it yet (see test_live_schema.py)."""
from dvc.settings_test import *  # noqa: F403
from dvc.settings_test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "api"]
ROOT_URLCONF = "api.test_urls"
