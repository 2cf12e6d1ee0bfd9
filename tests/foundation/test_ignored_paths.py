"""What .gitignore keeps out of commits: a virtualenv, whether a directory or a link to one (a git worktree
links the main checkout's .venv; `.venv/` alone matched only a directory, so `git add -A` took the link in)."""
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("kind", ["directory", "symlink"])
def test_a_virtualenv_is_never_added(tmp_path, kind):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "pyvenv.cfg").write_text("home = /usr/bin\n")
    if kind == "directory":
        shutil.copytree(target, tmp_path / ".venv")
    else:
        (tmp_path / ".venv").symlink_to(target)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    staged = subprocess.run(["git", "-C", str(tmp_path), "diff", "--cached", "--name-only"], check=True,
                            capture_output=True, text=True).stdout.split()
    assert not [path for path in staged if path == ".venv" or path.startswith(".venv/")]
