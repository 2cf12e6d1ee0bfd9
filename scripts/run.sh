#!/usr/bin/env bash
# `make run`: the whole system on this machine: web (HTTP + websockets), Celery worker and beat, Redis,
# on SQLite under var/, with demo data. Safe to run again: nothing is duplicated.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh run
export UV_PYTHON="$(python3 -c "import sys; print(sys.executable)")" UV_PYTHON_DOWNLOADS=never
UV="python3 -m uv run --frozen"

mkdir -p var/redis
[ -s var/secret_key ] || python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
chmod 600 var/secret_key
export SECRET_KEY="${SECRET_KEY:-$(cat var/secret_key)}"
export DEBUG="${DEBUG:-false}" HTTPS="${HTTPS:-false}"
export WEB_HOST="${HOST:-127.0.0.1}" WEB_PORT="${PORT:-8000}"
REDIS_PORT="${REDIS_PORT:-6379}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT}/0}"
public_host="$WEB_HOST"
if [ "$WEB_HOST" = "0.0.0.0" ]; then public_host="$(hostname -I | awk '{print $1}')"; fi
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-localhost,127.0.0.1,[::1],${public_host}}"
export SITE_URL="${SITE_URL:-http://${public_host}:${WEB_PORT}}"

if ! redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
  echo "run: starting Redis on 127.0.0.1:${REDIS_PORT} (data in var/redis)"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$PWD/var/redis" --save 60 1 --appendonly no \
    --daemonize yes --pidfile "$PWD/var/redis/redis.pid" --logfile "$PWD/var/redis/redis.log"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$REDIS_PORT" ping >/dev/null
fi

$UV python manage.py migrate --noinput -v0
$UV python manage.py collectstatic --noinput -v0
echo
echo "================================================================================"
echo " 災害ボランティアセンター運営システム / Disaster volunteer centre system"
echo " URL:  ${SITE_URL}/"
echo " Public board: ${SITE_URL}/p/demo/    Health: ${SITE_URL}/healthz"
$UV python manage.py seed_demo | sed 's/^/ /'
echo " Stop with Ctrl-C. Redis keeps running (var/redis/redis.pid)."
echo "================================================================================"
echo
exec $UV honcho start -f Procfile
