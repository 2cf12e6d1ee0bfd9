#!/usr/bin/env bash
# Install what the project needs on a fresh Debian machine (python3, pip and apt assumed). Idempotent:
# a second run only checks. Usage: scripts/bootstrap.sh run|test
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-run}

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

missing=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
want() { have_pkg "$1" || missing+=("$1"); }

want redis-server              # channel layer and Celery broker
want gettext                   # compilemessages (English catalogue)
want fonts-ipaexfont-gothic    # Japanese in PDFs, charts and the browser
want libpango-1.0-0            # WeasyPrint
want libpangoft2-1.0-0
if [ "$purpose" = "test" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  want chromium                # end-to-end tests through Playwright (never `playwright install`)
  want poppler-utils           # pdftotext: the daily report PDF is checked as text
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's postgresql package starts a cluster of its own; we never use it (tests start throwaway ones).

if ! python3 -m uv --version >/dev/null 2>&1; then
  echo "bootstrap: installing uv"
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
fi
export UV_PYTHON="$(python3 -c "import sys; print(sys.executable)")" UV_PYTHON_DOWNLOADS=never
python3 -m uv sync --frozen --quiet
# Browser libraries from npm (the QR decoder of the scanning desks), pinned by package-lock.json: static/vendor/.
python3 scripts/vendor_js.py

# English catalogues (Japanese is the source language); .mo files are build output.
DEBUG=1 python3 -m uv run --frozen python manage.py compilemessages -v0 --ignore=.venv
