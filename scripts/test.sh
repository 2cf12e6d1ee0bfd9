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

status=0
if [ $# -gt 0 ]; then
  echo "== tests on PostgreSQL + Redis"
  "$VENV/python" -m harness run -- "$VENV/python" -m pytest -p no:cacheprovider "$@" || status=$?
  [ "$status" -eq 5 ] && status=0   # no tests collected for a narrowed run
else
  # The whole suite in two halves at once, each with its own PostgreSQL cluster and Redis (tests that stop
  # Redis or PostgreSQL must not take the other half's down): on two cores this takes about 60 % of one run.
  # FIRST is a fixed list (about half the time, from --durations); every other folder, new ones included,
  # is in the second half, so no test is ever left out.
  FIRST="security e2e api partners messages reports i18n welfare"
  first=() second=()
  for dir in tests/*/; do
    name=$(basename "$dir")
    [ -n "$(find "$dir" -name 'test_*.py' -print -quit)" ] || continue
    if [[ " $FIRST " == *" $name "* ]]; then first+=("$dir"); else second+=("$dir"); fi
  done
  half1=$(mktemp)
  echo "== tests on PostgreSQL + Redis, in two halves: ${first[*]} (output below when done) | ${second[*]}"
  ( "$VENV/python" -m harness run -- "$VENV/python" -m pytest -p no:cacheprovider "${first[@]}" >"$half1" 2>&1 ) &
  pid1=$!
  status2=0
  "$VENV/python" -m harness run -- "$VENV/python" -m pytest -p no:cacheprovider "${second[@]}" || status2=$?
  status1=0
  wait "$pid1" || status1=$?
  echo "== the first half: ${first[*]}"
  cat "$half1"
  rm -f "$half1"
  echo "== halves: first exited $status1, second exited $status2"
  if [ "$status1" -ne 0 ]; then status=$status1; else status=$status2; fi
fi

if [ $# -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "== smoke pass on SQLite (the make run default)"
  tmp=$(mktemp -d)
  DATABASE_URL="sqlite:///$tmp/smoke.sqlite3" "$VENV/python" -m harness run --no-postgres -- \
    "$VENV/python" -m pytest -p no:cacheprovider -m smoke -q || status=$?
  rm -rf "$tmp"
fi
exit "$status"
