#!/usr/bin/env bash
# Start Hòa Nhập: migrate, load geography (and demo data on the embedded database), start the
# background-task worker, then serve with gunicorn. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$BIN/hoanhap" migrate --noinput -v0
"$BIN/hoanhap" load-geo
if [ -z "${HOANHAP_DATABASE_URL:-}" ]; then
  # Demo data goes only into the embedded default database; the demo signs in without a second factor.
  export HOANHAP_REQUIRE_2FA=${HOANHAP_REQUIRE_2FA:-false}
  "$BIN/hoanhap" load-demo
  "$BIN/hoanhap" demo-accounts --url "http://$HOST:$PORT/"
else
  echo "HOANHAP_DATABASE_URL is set: no demo data is loaded."
fi

"$BIN/hoanhap" db_worker --queue-name '*' &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

# Flag transfers left unconfirmed too long, beside the start-up (run it daily from cron on a server).
"$BIN/hoanhap" intake-escalate &

echo "Hòa Nhập is at http://$HOST:$PORT/ (Ctrl-C to stop)"
"$BIN/gunicorn" config.wsgi:application --bind "$HOST:$PORT" --workers 3 --threads 2 \
  --timeout 120 --access-logfile - --log-level warning
