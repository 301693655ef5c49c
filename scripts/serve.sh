#!/usr/bin/env bash
# `make run`'s last step: the app server, the live contest's ASGI server (WebSockets, on
# WS_PORT, default PORT+1), one task worker and the scheduler, in one terminal.
# Ctrl-C (or SIGTERM) stops all three; if one of them exits, the others are stopped too.
#   scripts/serve.sh HOST PORT WORKERS
set -uo pipefail
BIN=${BIN:-.venv/bin}
HOST=${1:-127.0.0.1} PORT=${2:-8000} WORKERS=${3:-2}
WS_PORT=${WS_PORT:-$((PORT + 1))} ASGI_WORKERS=${ASGI_WORKERS:-1}

if [ "${TASKS_BACKEND:-}" = django_tasks_rq.RQBackend ]; then
  worker=("$BIN/dangshi" rqworker --job-class django_tasks_rq.Job default)
else
  worker=("$BIN/dangshi" db_worker)
fi

pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; }
trap stop INT TERM EXIT

LIVE_WS_PORT_OFFSET=$((WS_PORT - PORT)) "$BIN/granian" --interface wsgi --host "$HOST" --port "$PORT" \
  --workers "$WORKERS" --blocking-threads 4 --log-level warning dangshi.wsgi:application & pids+=($!)
# One ASGI process unless REDIS_URL is set: the in-memory channel layer does not reach across processes.
"$BIN/granian" --interface asginl --host "$HOST" --port "$WS_PORT" --workers "$ASGI_WORKERS" \
  --log-level warning dangshi.asgi:application & pids+=($!)
"${worker[@]}" & pids+=($!)
"$BIN/dangshi" scheduler & pids+=($!)
wait -n
