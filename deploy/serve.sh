#!/usr/bin/env bash
# The production stack on this machine: migrate, collect static files, compile the
# translations, then the mail outbox worker in the background and gunicorn in front.
# Used by `make serve`; in production run the same commands from systemd units
# (README § Production). Needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and CACHE_URL
# (environment or .env); over plain HTTP locally also SECURE_SSL_REDIRECT=false.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
export DJANGO_SETTINGS_MODULE=vsop_cms.settings.production

"$PYTHON" manage.py check --deploy --fail-level ERROR
"$PYTHON" manage.py migrate --noinput
"$PYTHON" manage.py collectstatic --noinput -v0
"$PYTHON" manage.py compile_translations

worker_pid=""
if "$PYTHON" manage.py help outbox_worker >/dev/null 2>&1; then
  "$PYTHON" manage.py outbox_worker &
  worker_pid=$!
  echo "outbox worker started (pid $worker_pid)"
fi
stop_worker() { if [ -n "$worker_pid" ]; then kill "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true; fi; }
trap stop_worker EXIT INT TERM

"$PYTHON" -m gunicorn -c deploy/gunicorn.conf.py vsop_cms.wsgi:application
