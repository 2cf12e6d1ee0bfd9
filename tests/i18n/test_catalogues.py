"""Every visible string is translated: Japanese is the source, English the catalogue.

The source is copied and messages are extracted afresh, so a string added to code or a template without
an English msgstr fails here, not in front of a user.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from harness.stack import ROOT

pytestmark = pytest.mark.smoke
SKIP_DIRS = {".venv", "var", ".git", "tests", "bench", "harness", "test-artifacts", "__pycache__", "staticfiles"}


def _catalogues(root: Path):
    return [p for p in root.rglob("locale/en/LC_MESSAGES/django*.po") if not SKIP_DIRS & set(p.parts)]


def _untranslated(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    return [e.msgid for e in po if not e.obsolete and ("fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values())))]


@pytest.fixture(scope="module")
def fresh_extract(tmp_path_factory):
    copy = tmp_path_factory.mktemp("src") / "src"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*SKIP_DIRS, "*.mo", "node_modules"))
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "dvc.settings"}
    for kind in ("django", "djangojs"):
        out = subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "-d", kind, "--no-obsolete",
                              "--ignore=var", "--ignore=tests", "--ignore=bench", "--ignore=harness"],
                             cwd=copy, env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
    return copy


def test_committed_catalogues_are_complete():
    problems = {str(p.relative_to(ROOT)): _untranslated(p) for p in _catalogues(ROOT)}
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_string_in_the_source_has_an_english_translation(fresh_extract):
    problems = {str(p.relative_to(fresh_extract)): _untranslated(p) for p in _catalogues(fresh_extract)}
    assert {k: v for k, v in problems.items() if v} == {}, (
        "run `make messages` and fill these msgstr in English")
