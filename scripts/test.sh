#!/usr/bin/env bash
# `make test`: set up a fresh machine, then lint, then the whole suite against a throwaway PostgreSQL
# cluster and Redis (unit, integration with a real uvicorn and Celery worker, end-to-end in chromium),
# then a smoke pass on SQLite (the `make run` default). Tears down what it started.
# Extra arguments go to pytest (e.g. `scripts/test.sh tests/needs -x`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
# bootstrap synced .venv; call its programs by path. (`uv run` puts .venv/bin first on PATH, so a nested
# `python3 -m uv` would find the venv's python, which has no uv: that is how CI failed once.)
VENV="$PWD/.venv/bin"
export PATH="$VENV:$PATH"
export DJANGO_SETTINGS_MODULE=dvc.settings_test
export SCREENSHOT_DIR="${SCREENSHOT_DIR:-$PWD/test-artifacts/screenshots}"

echo "== lint"
"$VENV/ruff" check .

echo "== tests on PostgreSQL + Redis"
status=0
"$VENV/python" -m harness run -- "$VENV/python" -m pytest -p no:cacheprovider "$@" || status=$?
[ "$status" -eq 5 ] && status=0   # no tests collected for a narrowed run

if [ $# -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "== smoke pass on SQLite (the make run default)"
  tmp=$(mktemp -d)
  DATABASE_URL="sqlite:///$tmp/smoke.sqlite3" "$VENV/python" -m harness run --no-postgres -- \
    "$VENV/python" -m pytest -p no:cacheprovider -m smoke -q || status=$?
  rm -rf "$tmp"
fi
exit "$status"
