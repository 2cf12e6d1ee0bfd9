import subprocess
import sys

import pytest
from django.conf import settings

from harness.stack import ROOT

pytestmark = pytest.mark.smoke

PRODUCTION_ENV = {
    "PATH": "/usr/bin:/bin",
    "SECRET_KEY": "p" * 20 + "-production-secret-key-with-enough-entropy-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "vc.example.jp",
    "DATABASE_URL": "sqlite:////tmp/dvc-check-deploy.sqlite3",
    "DJANGO_SETTINGS_MODULE": "dvc.settings",
}


def _run(args, env):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_japanese_first_in_tokyo_time():
    assert settings.LANGUAGE_CODE == "ja"
    assert settings.TIME_ZONE == "Asia/Tokyo"
    assert [code for code, _ in settings.LANGUAGES] == ["ja", "en"]
    assert settings.USE_TZ


def test_debug_is_off_unless_asked():
    out = _run(["-c", "import django;django.setup();from django.conf import settings;print(settings.DEBUG)"],
               PRODUCTION_ENV)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_production_settings_pass_check_deploy():
    out = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_refuses_to_start_without_secret_key_in_production():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    out = _run(["manage.py", "check"], env)
    assert out.returncode != 0
    assert "SECRET_KEY must be set" in out.stderr


def test_settings_come_from_the_environment():
    env = {**PRODUCTION_ENV, "REDIS_URL": "redis://10.0.0.5:6380/2", "TILE_URL": "https://tiles.example/{z}/{x}/{y}.png",
           "EMAIL_URL": "smtp://mail.example:587"}
    code = ("import django;django.setup();from django.conf import settings as s;"
            "print(s.REDIS_URL, s.CELERY_BROKER_URL, s.TILE_URL, s.EMAIL_HOST, s.EMAIL_PORT,"
            "s.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0]['address'])")
    out = _run(["-c", code], env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["redis://10.0.0.5:6380/2", "redis://10.0.0.5:6380/2",
                                  "https://tiles.example/{z}/{x}/{y}.png", "mail.example", "587",
                                  "redis://10.0.0.5:6380/2"]
