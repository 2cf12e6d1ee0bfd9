"""Test settings: the real settings, with fast hashing, unhashed static files and in-memory mail by default.

Databases and Redis come from the environment the test harness sets (tests/harness.py); real PostgreSQL and
Redis, never mocks.
"""
import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
# Race tests hold up to 20 connections of one process at once (threads released together by a barrier); a
# smaller pool would make them queue for a connection instead of racing.
os.environ.setdefault("DB_POOL_SIZE", "40")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
if not os.environ.get("EMAIL_URL"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files straight from the app and project folders: no collectstatic before tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# No test reaches the internet: tests that want the online geocoder start a local server and set the URL.
GEOCODER_ONLINE_URL = ""
# Tests read the public JSON right after a change: no stale window (tests/boards/test_public_feed.py sets one).
PUBLIC_FEED_STALE_SECONDS = 0.0
PUBLIC_FEED_STATE_SECONDS = 0.0
