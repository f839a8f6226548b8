#!/usr/bin/env bash
# Runs official_python_sdk.py against a fresh in-memory test server (npm run test-server).
# Needs python3 >= 3.10 and network access to PyPI (or a wheel directory in IGGY_PY_WHEELS).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${IGGY_CONFORMANCE_VENV:-${TMPDIR:-/tmp}/iggy-conformance-venv}"
port="${IGGY_CONFORMANCE_PORT:-18095}"
log="$(mktemp -t iggy-test-server.XXXXXX.log)"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import apache_iggy' 2>/dev/null; then
  if [ -n "${IGGY_PY_WHEELS:-}" ]; then
    "$venv/bin/pip" install --quiet --no-index --find-links "$IGGY_PY_WHEELS" 'apache-iggy==0.9.0'
  else
    "$venv/bin/pip" install --quiet 'apache-iggy==0.9.0'
  fi
fi

cd "$repo_root"
# Own process group, so the server (npm → tsx → node) can be stopped as a whole.
newer_port=$((port + 1))
newer_log="$(mktemp -t iggy-test-server-0-12.XXXXXX.log)"
IGGY_TEST_SERVER_PORT="$port" setsid npm run --silent test-server >"$log" 2>&1 &
server_pid=$!
IGGY_TEST_SERVER_PORT="$newer_port" IGGY_TEST_SERVER_PROTOCOL_VERSION=0.12.5 setsid npm run --silent test-server >"$newer_log" 2>&1 &
newer_pid=$!
cleanup() {
  kill -TERM -- "-$server_pid" 2>/dev/null || true
  kill -TERM -- "-$newer_pid" 2>/dev/null || true
}
trap cleanup EXIT

wait_for_listening() {
  for _ in $(seq 1 100); do
    grep -q 'Iggy test server listening' "$1" && return 0
    sleep 0.1
  done
  echo "test server did not start:"; cat "$1"; return 1
}
wait_for_listening "$log"
wait_for_listening "$newer_log"

timeout 120 "$venv/bin/python" test/conformance/official_python_sdk.py \
  --address "127.0.0.1:$port" --incompatible-address "127.0.0.1:$newer_port"
