#!/usr/bin/env bash
# schemathesis over /api/v1/openapi.json against a live server on the demo district, as the
# office, a member (member1) and anonymous: fails on any 5xx and any response that does not
# validate against the published schema (issue 17). Bounded: EXAMPLES per operation (default 5),
# MAX_TIME seconds per persona (default 300), a fixed seed. Writes the figures to
# $FUZZ_DIR/summary.txt. Usage: scripts/fuzz_api.sh   (from the repository root; `.ci/run` calls it)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/.venv/bin
FUZZ_DIR=${FUZZ_DIR:-${TMPDIR:-/tmp}/dangshi-fuzz}
EXAMPLES=${EXAMPLES:-5}
MAX_TIME=${MAX_TIME:-300}
SEED=${SEED:-17}
mkdir -p "$FUZZ_DIR/pristine/var"

# The demo district, built once into $FUZZ_DIR/pristine (its own var/: the key that encrypted it),
# copied afresh for every run: the office's writes must not pile up between runs.
if [ ! -f "$FUZZ_DIR/pristine/demo.sqlite3" ]; then
  echo "building the demo district into $FUZZ_DIR/pristine (once)"
  DATABASE_URL="sqlite:///$FUZZ_DIR/pristine/demo.sqlite3" DANGSHI_VAR="$FUZZ_DIR/pristine/var" \
    $BIN/dangshi migrate --noinput -v0
  DATABASE_URL="sqlite:///$FUZZ_DIR/pristine/demo.sqlite3" DANGSHI_VAR="$FUZZ_DIR/pristine/var" \
    $BIN/dangshi demo -v0
fi
rm -rf "$FUZZ_DIR/run" && mkdir -p "$FUZZ_DIR/run"
cp -r "$FUZZ_DIR/pristine/var" "$FUZZ_DIR/run/var"
$BIN/python - "$FUZZ_DIR/pristine/demo.sqlite3" "$FUZZ_DIR/run/demo.sqlite3" <<'PY'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
src.backup(dst)
PY
export DATABASE_URL="sqlite:///$FUZZ_DIR/run/demo.sqlite3" DANGSHI_VAR="$FUZZ_DIR/run/var" DEBUG=0
# The pages a fuzzed request may end on (403/404/500) use the static files, as in production.
$BIN/dangshi collectstatic --noinput -v0
export LOGIN_ADDRESS_LIMIT=100000  # three personas log in from 127.0.0.1 while the fuzzer tries the token endpoint
PORT=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$BIN/granian --interface wsgi --host 127.0.0.1 --port "$PORT" --workers 1 --blocking-threads 2 --log-level error \
  dangshi.wsgi:application > "$FUZZ_DIR/server.log" 2>&1 &  # from the repository root: granian finds the app
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 60); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 1; done

token() {
  curl -fs -X POST "$BASE/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"Dangshi@2021\", \"name\": \"fuzz\"}" |
    $BIN/python -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
OFFICE=$(token office)
MEMBER=$(token member1)

status=0
for persona in office member anonymous; do
  headers=()
  [ "$persona" = office ] && headers=(-H "Authorization: Bearer $OFFICE")
  [ "$persona" = member ] && headers=(-H "Authorization: Bearer $MEMBER")
  echo "== schemathesis as $persona =="
  # The token revocation would end the persona's own run; it is fuzzed as anonymous (401) only.
  exclude=()
  [ "$persona" != anonymous ] && exclude=(--exclude-path-regex '/auth/token/')
  # Run from FUZZ_DIR: schemathesis keeps its cache (.schemathesis/) in the current directory.
  (cd "$FUZZ_DIR" && $BIN/schemathesis run "$BASE/api/v1/openapi.json" "${headers[@]}" "${exclude[@]}" \
    --checks not_a_server_error,response_schema_conformance \
    -n "$EXAMPLES" --max-time "$MAX_TIME" --seed "$SEED" -w 1 --request-timeout 60 \
    --suppress-health-check all --warnings off \
    --report har --report-har-path "$FUZZ_DIR/$persona.har") || status=1
done

$BIN/python - "$FUZZ_DIR" <<'PY' | tee "$FUZZ_DIR/summary.txt"
import json, pathlib, sys
folder = pathlib.Path(sys.argv[1])
total = fivexx = 0
for persona in ("office", "member", "anonymous"):
    har = folder / f"{persona}.har"
    entries = json.loads(har.read_text())["log"]["entries"] if har.exists() else []
    codes = [e["response"]["status"] for e in entries]
    n5 = sum(1 for c in codes if c >= 500)
    total, fivexx = total + len(codes), fivexx + n5
    print(f"{persona}: {len(codes)} requests, {n5} 5xx")
print(f"total: {total} requests, {fivexx} 5xx")
PY
$BIN/python scripts/pii_scan.py "$FUZZ_DIR" | tee -a "$FUZZ_DIR/summary.txt" || status=1
exit $status
