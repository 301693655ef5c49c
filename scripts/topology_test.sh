#!/usr/bin/env bash
# The deployed topology on this machine, all on 127.0.0.1 (docs/deploy.md):
#   nginx :18230 → granian A :18231 and granian B :18232 (the same code and settings),
#   PostgreSQL primary :5432 + streaming replica :5433 (scripts/ci_replica.sh),
#   Redis :6379 (cache, rate limits, RQ), one RQ worker, one scheduler, moto's S3 on :18233.
# Then scripts/topology_check.py: a bounded load run with ab through nginx (0 errors), a write
# on A read on B, a file written through A served by B, and app server A killed mid-run
# without losing an accepted write. Everything it started is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
NGINX_PORT=18230 A_PORT=18231 B_PORT=18232 S3_PORT=18233
DB=${TOPOLOGY_DB:-dangshi_topology}
WORK=$(mktemp -d /tmp/dangshi-topology.XXXXXX)
BIN=.venv/bin
pids=()
cleanup() {
  status=$?
  if [ $status -ne 0 ]; then
    for log in "$WORK"/*.log; do echo "== $log"; tail -n 40 "$log"; done
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

redis-cli -h 127.0.0.1 ping >/dev/null
scripts/ci_replica.sh
psql -h 127.0.0.1 -U postgres -qAtc "drop database if exists $DB with (force)"
psql -h 127.0.0.1 -U postgres -qAtc "create database $DB"
redis-cli -h 127.0.0.1 -n 11 flushdb >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5433/$DB"
export REDIS_URL="redis://127.0.0.1:6379/11" TASKS_BACKEND=django_tasks_rq.RQBackend
export S3_BUCKET=dangshi-topology S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT" S3_ACCESS_KEY_ID=topology S3_SECRET_ACCESS_KEY=topology
export DANGSHI_VAR="$WORK/var" SECRET_KEY="topology-$RANDOM-$RANDOM-secret-key-shared-by-both" FIELD_ENCRYPTION_KEY="topology-field-key-$RANDOM"
export TRUST_X_FORWARDED_FOR=1 REQUEST_LOG=0 LOG_LEVEL=ERROR ALLOWED_HOSTS=127.0.0.1,localhost
mkdir -p "$DANGSHI_VAR"

"$BIN/moto_server" -H 127.0.0.1 -p "$S3_PORT" >"$WORK/moto.log" 2>&1 & pids+=($!)
"$BIN/dangshi" migrate --noinput -v0
"$BIN/dangshi" collectstatic --noinput -v0
"$BIN/python" scripts/topology_check.py seed

for port in $A_PORT $B_PORT; do
  "$BIN/granian" --interface wsgi --host 127.0.0.1 --port "$port" --workers 1 --blocking-threads 4 \
    --log-level error dangshi.wsgi:application >"$WORK/app-$port.log" 2>&1 & pids+=($!)
  echo $! >"$WORK/app-$port.pid"
done
"$BIN/dangshi" rqworker --job-class django_tasks_rq.Job --worker-class rq.worker.SimpleWorker default \
  >"$WORK/worker.log" 2>&1 & pids+=($!)
"$BIN/dangshi" scheduler --interval 2 >"$WORK/scheduler.log" 2>&1 & pids+=($!)

cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  fastcgi_temp_path $WORK/nginx-fastcgi;
  uwsgi_temp_path $WORK/nginx-uwsgi;
  scgi_temp_path $WORK/nginx-scgi;
  upstream dangshi { server 127.0.0.1:$A_PORT max_fails=1 fail_timeout=30s; server 127.0.0.1:$B_PORT max_fails=1 fail_timeout=30s; keepalive 16; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    client_max_body_size 20m;
    location / {
      proxy_pass http://dangshi;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Request-ID \$request_id;
      # A request nginx could not deliver goes to the other server; a POST it delivered is
      # never sent twice (non_idempotent is not set).
      proxy_next_upstream error timeout http_502;
    }
  }
}
EOF
nginx -c "$WORK/nginx.conf" -p "$WORK"

for port in $A_PORT $B_PORT $NGINX_PORT; do
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
done
TOPOLOGY_WORK="$WORK" NGINX_PORT=$NGINX_PORT A_PORT=$A_PORT B_PORT=$B_PORT "$BIN/python" scripts/topology_check.py check
