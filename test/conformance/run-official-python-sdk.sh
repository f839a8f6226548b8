#!/usr/bin/env bash
# Runs official_python_sdk.py against a fresh in-memory test server (npm run test-server), then
# official_python_sdk_cluster.py against a fresh 3-node test cluster (npm run test-server -- --cluster 3).
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
# The cluster's three nodes take the three ports after those two.
cluster_port=$((port + 2))
cluster_log="$(mktemp -t iggy-test-cluster.XXXXXX.log)"
IGGY_TEST_SERVER_PORT="$cluster_port" setsid npm run --silent test-server -- --cluster 3 >"$cluster_log" 2>&1 &
cluster_pid=$!
cleanup() {
  kill -TERM -- "-$server_pid" 2>/dev/null || true
  kill -TERM -- "-$newer_pid" 2>/dev/null || true
  kill -TERM -- "-$cluster_pid" 2>/dev/null || true
}
trap cleanup EXIT

wait_for_listening() {
  for _ in $(seq 1 100); do
    grep -q "${2:-Iggy test server listening}" "$1" && return 0
    sleep 0.1
  done
  echo "test server did not start:"; cat "$1"; return 1
}
wait_for_listening "$log"
wait_for_listening "$newer_log"
wait_for_listening "$cluster_log" 'Iggy test cluster "demo-cluster" listening'

status=0
timeout 120 "$venv/bin/python" test/conformance/official_python_sdk.py \
  --address "127.0.0.1:$port" --incompatible-address "127.0.0.1:$newer_port" || status=1
timeout 60 "$venv/bin/python" test/conformance/official_python_sdk_cluster.py \
  --addresses "127.0.0.1:$cluster_port,127.0.0.1:$((cluster_port + 1)),127.0.0.1:$((cluster_port + 2))" || status=1
exit "$status"
