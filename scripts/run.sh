#!/usr/bin/env bash
# `make run`: the whole system on this machine: web (HTTP + websockets), Celery worker and beat, Redis, a mail
# catcher, on SQLite under var/, with demo data. Safe to run again: nothing is duplicated.
# `make run DEMO=0`: no demo data, in a database of its own (var/centre.sqlite3, never the demo's): while it has
# no account the banner prints the first-run setup URL with its key (ops/staff/firstrun.py).
#
# Knobs (README, "Two commands"): DEMO, HOST, PORT, REDIS_PORT or REDIS_URL, MAIL_PORT or EMAIL_URL, and any
# setting of dvc/settings.py (DEBUG, SITE_URL, ALLOWED_HOSTS, DATABASE_URL, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh run
export UV_PYTHON="$(python3 -c "import sys; print(sys.executable)")" UV_PYTHON_DOWNLOADS=never
UV="python3 -m uv run --frozen"

mkdir -p var/redis var/log var/mail/cur var/mail/new var/mail/tmp  # var/mail: a maildir, made whole
[ -s var/secret_key ] || python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
chmod 600 var/secret_key
export SECRET_KEY="${SECRET_KEY:-$(cat var/secret_key)}"
export DEBUG="${DEBUG:-false}" HTTPS="${HTTPS:-false}"
export WEB_HOST="${HOST:-127.0.0.1}" WEB_PORT="${PORT:-8000}"
public_host="$WEB_HOST"
if [ "$WEB_HOST" = "0.0.0.0" ]; then public_host="$(hostname -I | awk '{print $1}')"; fi
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-localhost,127.0.0.1,[::1],${public_host}}"
export SITE_URL="${SITE_URL:-http://${public_host}:${WEB_PORT}}"
DEMO="${DEMO:-1}"
if [ "$DEMO" = "0" ]; then export DATABASE_URL="${DATABASE_URL:-sqlite:///${PWD}/var/centre.sqlite3}"; fi

port_free() { python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" "$1" 2>/dev/null; }
redis_pid_on() { { redis-cli -p "$1" info server 2>/dev/null || true; } | tr -d '\r' | awk -F: '/^process_id:/ {print $2}'; }

# Redis: this project's own server (data in var/redis) on REDIS_PORT, never one that merely answers on a port:
# a Redis of another project or the system's would be flushed by nothing here, but shared by Celery queues,
# channel groups and rate counts. REDIS_URL uses the given one as it is, on purpose.
if [ -n "${REDIS_URL:-}" ]; then
  redis_note="Redis: ${REDIS_URL} (REDIS_URL)"
else
  REDIS_PORT="${REDIS_PORT:-6390}"
  export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0"
  ours="$(cat var/redis/redis.pid 2>/dev/null || true)"
  there="$(redis_pid_on "$REDIS_PORT")"
  if [ -n "$there" ] && [ "$there" != "$ours" ]; then
    echo "run: a Redis that is not this project's (pid ${there}) answers on 127.0.0.1:${REDIS_PORT}." >&2
    echo "run: start ours on another port (REDIS_PORT=6391 make run) or share that one on purpose" >&2
    echo "run: (REDIS_URL=redis://127.0.0.1:${REDIS_PORT}/0 make run)." >&2
    exit 1
  fi
  if [ -z "$there" ]; then
    if [ -n "$ours" ] && kill -0 "$ours" 2>/dev/null; then  # ours, from a run on another port: one per var/redis
      echo "run: stopping this project's Redis from an earlier run on another port (pid ${ours})"
      kill "$ours"
      for _ in $(seq 50); do kill -0 "$ours" 2>/dev/null || break; sleep 0.1; done
    fi
    if ! port_free "$REDIS_PORT"; then
      echo "run: 127.0.0.1:${REDIS_PORT} is taken by something that is not Redis: set REDIS_PORT to a free port." >&2
      exit 1
    fi
    echo "run: starting Redis on 127.0.0.1:${REDIS_PORT} (data in var/redis)"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$PWD/var/redis" --save 60 1 --appendonly no \
      --daemonize yes --pidfile "$PWD/var/redis/redis.pid" --logfile "$PWD/var/redis/redis.log"
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -p "$REDIS_PORT" ping >/dev/null
  fi
  redis_note="Redis: 127.0.0.1:${REDIS_PORT}, this project's (var/redis); it keeps running after Ctrl-C: redis-cli -p ${REDIS_PORT} shutdown"
fi

# Mail: caught on loopback into var/mail/ (Procfile's `mail`), read with `make mail`, unless EMAIL_URL says where.
processes=(web worker beat)
if [ -n "${EMAIL_URL:-}" ]; then
  mail_note="Mail: sent through EMAIL_URL"
else
  export MAIL_PORT="${MAIL_PORT:-8025}"
  if ! port_free "$MAIL_PORT"; then
    echo "run: 127.0.0.1:${MAIL_PORT} is taken: set MAIL_PORT to a free port for the mail catcher (or EMAIL_URL)." >&2
    exit 1
  fi
  export EMAIL_URL="smtp://127.0.0.1:${MAIL_PORT}"
  processes+=(mail)
  mail_note="Mail: caught, not delivered: var/mail/ (127.0.0.1:${MAIL_PORT}); read it with: make mail"
fi

$UV python manage.py migrate --noinput -v0
$UV python manage.py collectstatic --noinput -v0
# The seed plays the demo's season through the real services, which send mail (reports, crisis alerts): the
# catcher runs for it too, then honcho starts it again with the rest. The seed's own log goes to its file, not
# across the banner.
catcher=""
if [[ " ${processes[*]} " == *" mail "* ]]; then
  .venv/bin/python -m aiosmtpd --nosetuid --smtputf8 --listen "127.0.0.1:${MAIL_PORT}" \
    --class aiosmtpd.handlers.Mailbox var/mail >>var/log/mail.log 2>&1 &
  catcher=$!
  trap '[ -n "$catcher" ] && kill "$catcher" 2>/dev/null' EXIT
  for _ in $(seq 100); do port_free "$MAIL_PORT" || break; sleep 0.1; done
fi
if [ "$DEMO" = "0" ]; then
  setup_url="$($UV python manage.py setup_url)"
  if [ -n "$setup_url" ]; then
    logins="初期設定 / First-run setup (this URL is the key: keep it to yourself):"$'\n'"  ${setup_url}"
  else
    logins="No demo data (DEMO=0): sign in with your own account."
  fi
else
  logins="$($UV python manage.py seed_demo 2>var/log/seed_demo.log)" || { cat var/log/seed_demo.log >&2; exit 1; }
  # A drawn grid for the demo's area, clearly no real map: what the maps show when the tile server cannot be
  # reached (a LAN with no internet). A real centre loads its own file: load_basemap FILE (README).
  [ -f "${VAR_DIR:-var}/basemap/demo.mbtiles" ] || $UV python manage.py load_basemap --demo >/dev/null
fi
if [ -n "$catcher" ]; then kill "$catcher"; wait "$catcher" 2>/dev/null || true; catcher=""; fi
seed_warnings="$(grep -c -E ' (WARNING|ERROR|CRITICAL) ' var/log/seed_demo.log 2>/dev/null || true)"

lan_warning="$(scripts/plain_http_warning.sh "$WEB_HOST" "$SITE_URL")"
echo
echo "================================================================================"
echo " 災害ボランティアセンター運営システム / Disaster volunteer centre system"
echo " URL:  ${SITE_URL}/"
if [ "$DEMO" = "0" ]; then echo " Health: ${SITE_URL}/healthz"
else echo " Public board: ${SITE_URL}/p/demo/    Health: ${SITE_URL}/healthz"; fi
echo "${logins}" | sed 's/^/ /'
echo " ${mail_note}"
echo " ${redis_note}"
if [ "$DEMO" != "0" ] && [ "${seed_warnings:-0}" -gt 0 ]; then echo " Demo data: ${seed_warnings} warning(s) in var/log/seed_demo.log"; fi
echo " Stop with Ctrl-C."
echo "================================================================================"
[ -n "$lan_warning" ] && echo "$lan_warning"
echo
exec $UV honcho start -f Procfile "${processes[@]}"
