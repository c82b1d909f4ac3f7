#!/usr/bin/env bash
# The test command (see README): runs the whole test suite against a throwaway PostgreSQL 15.
#
#   scripts/test.sh [extra `dotnet test` arguments...]
#   e.g. scripts/test.sh --filter "FullyQualifiedName~Persistence"
#
# It initializes a fresh cluster in a temporary folder, starts it on 127.0.0.1 only (trust auth,
# fsync off), creates a database, exports OPENCLAW_TEST_POSTGRES for the tests, runs
# `dotnet test OpenClaw.Orleans.sln -c Release`, and always stops the server and deletes the
# folder on exit. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
#
# Environment:
#   OPENCLAW_PG_BIN   directory holding initdb/pg_ctl (default: /usr/lib/postgresql/15/bin)
set -euo pipefail

readonly PREFERRED_PORT=55432
readonly DATABASE=openclaw_tests
readonly SUPERUSER=postgres

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/postgres.sh
source "$repo_root/scripts/lib/postgres.sh"
tmp_dir=""
data_dir=""
pg_bin=""
port=""

log() { printf 'test.sh: %s\n' "$*" >&2; }
fail() { log "error: $*"; exit 1; }


as_pg() { openclaw_as_pg "$@"; }

cleanup() {
  local status=$?
  set +e
  if [[ -n "$data_dir" && -f "$data_dir/postmaster.pid" ]]; then
    as_pg "$pg_bin/pg_ctl" -D "$data_dir" -m immediate -w stop >/dev/null 2>&1
  fi
  if [[ -n "$tmp_dir" && -d "$tmp_dir" ]]; then
    rm -rf -- "$tmp_dir"
  fi
  exit "$status"
}

# True when something already listens on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
  local attempt=$1 candidate
  if [[ "$attempt" -eq 1 ]] && ! port_in_use "$PREFERRED_PORT"; then
    printf '%s\n' "$PREFERRED_PORT"
    return 0
  fi
  for _ in $(seq 1 50); do
    candidate=$(( 20000 + RANDOM % 40000 ))
    if ! port_in_use "$candidate"; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

init_cluster() {
  tmp_dir="$(mktemp -d /tmp/openclaw-pg.XXXXXX)"
  data_dir="$tmp_dir/data"
  if [[ "$(id -u)" -eq 0 ]]; then
    id -u "$SUPERUSER" >/dev/null 2>&1 \
      || fail "running as root but there is no '$SUPERUSER' user to run PostgreSQL (apt-get install -y postgresql creates it)"
    chown "$SUPERUSER:" "$tmp_dir"
  fi

  as_pg "$pg_bin/initdb" -D "$data_dir" -U "$SUPERUSER" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=trust >"$tmp_dir/initdb.log" 2>&1 \
    || { cat "$tmp_dir/initdb.log" >&2; fail "initdb failed"; }

  # Only loopback TCP and a socket in our private folder; no IPv6, no other hosts.
  as_pg tee "$data_dir/pg_hba.conf" >/dev/null <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF
  as_pg tee -a "$data_dir/postgresql.conf" >/dev/null <<EOF

# scripts/test.sh: a throwaway server for tests. Speed over durability.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
EOF
}

# Starts the server, retrying on another port if the chosen one was taken meanwhile.
start_server() {
  local attempt
  for attempt in 1 2 3 4 5; do
    port="$(pick_port "$attempt")" || fail "found no free TCP port on 127.0.0.1"
    if as_pg "$pg_bin/pg_ctl" -D "$data_dir" -l "$tmp_dir/postgres.log" -o "-p $port" -w -t 60 start >/dev/null; then
      wait_until_ready
      return 0
    fi
    log "PostgreSQL did not start on port $port (attempt $attempt); server log:"
    cat "$tmp_dir/postgres.log" >&2 || true
  done
  fail "could not start PostgreSQL"
}

wait_until_ready() {
  local pg_isready="$pg_bin/pg_isready"
  [[ -x "$pg_isready" ]] || pg_isready="pg_isready"
  for _ in $(seq 1 120); do
    if "$pg_isready" -q -h 127.0.0.1 -p "$port" -U "$SUPERUSER"; then
      return 0
    fi
    sleep 0.5
  done
  cat "$tmp_dir/postgres.log" >&2 || true
  fail "PostgreSQL on 127.0.0.1:$port did not become ready"
}

create_database() {
  local psql="$pg_bin/psql"
  [[ -x "$psql" ]] || psql="psql"
  "$psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres \
    -c "CREATE DATABASE $DATABASE" >/dev/null
}

# The compatibility test against the official OpenClaw client (tests/compat/run.sh), after the
# .NET tests, while PostgreSQL is still up. run.sh installs the client into a reused cache
# (.cache/openclaw-client, or $OPENCLAW_CLIENT_CACHE; needs npm and the npm registry), builds and
# starts the silo itself, and exits non-zero when a check failed; that status fails this script
# (set -e) and the EXIT trap still stops PostgreSQL. OPENCLAW_SKIP_COMPAT=1 skips it.
run_official_client_compatibility_test() {
  if [[ "${OPENCLAW_SKIP_COMPAT:-0}" == 1 ]]; then
    log "skipping the official client compatibility test (OPENCLAW_SKIP_COMPAT=1)"
    return 0
  fi
  log "official client compatibility test: bash tests/compat/run.sh"
  local status=0
  bash "$repo_root/tests/compat/run.sh" || status=$?
  if [[ "$status" -ne 0 ]]; then
    log "error: the official client compatibility test failed (exit status $status)"
  fi
  return "$status"
}

# The same official-client checks through a cluster: scripts/cluster.sh starts 2 silos, 2 edges
# and HAProxy (with a PostgreSQL of its own) from the builds `dotnet test` just made, run.sh talks
# to HAProxy only, and between the health checks and the chat run the silo hosting the demo
# tenant's grain is killed (SIGKILL): chat, agent and sessions.list must still pass. The cluster is
# always stopped. A cluster that does not start counts as one failed check. OPENCLAW_SKIP_COMPAT=1
# skips it too.
# Stops the cluster in $1 (when one was started there) and removes the folder.
stop_compat_cluster() {
  if [[ -f "$1/cluster.env" ]]; then
    bash "$repo_root/scripts/cluster.sh" stop --dir "$1" >&2 || true
  fi
  rmdir "$1" 2>/dev/null || true
}

run_official_client_compatibility_test_through_cluster() {
  if [[ "${OPENCLAW_SKIP_COMPAT:-0}" == 1 ]]; then
    log "skipping the official client compatibility test through a cluster (OPENCLAW_SKIP_COMPAT=1)"
    return 0
  fi
  local cluster_dir lb_port status=0
  cluster_dir="$(mktemp -d "${TMPDIR:-/tmp}/openclaw-compat-cluster.XXXXXX")"
  lb_port="$(pick_port 2)" || fail "found no free TCP port on 127.0.0.1"
  # shellcheck disable=SC2064
  trap "stop_compat_cluster '$cluster_dir'" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  log "official client compatibility test through a cluster: scripts/cluster.sh start --silos 2 --edges 2 --port $lb_port"
  if ! bash "$repo_root/scripts/cluster.sh" start --silos 2 --edges 2 --port "$lb_port" --no-build --log-level Warning \
    --dir "$cluster_dir" >&2; then
    echo "FAIL  cluster: scripts/cluster.sh start --silos 2 --edges 2 failed (see above)"
    echo "compat: 0 passed, 1 failed"
    return 1
  fi
  local url token
  url="$(bash "$repo_root/scripts/cluster.sh" env --dir "$cluster_dir" | sed -n 's/^OPENCLAW_CLUSTER_URL=//p')"
  token="$(bash "$repo_root/scripts/cluster.sh" env --dir "$cluster_dir" | sed -n 's/^OPENCLAW_CLUSTER_TOKEN=//p')"
  OPENCLAW_COMPAT_GATEWAY_URL="$url" OPENCLAW_COMPAT_TOKEN="$token" \
    OPENCLAW_COMPAT_BETWEEN_STEPS="bash '$repo_root/scripts/cluster.sh' kill-silo --hosting user/demo --dir '$cluster_dir'" \
    bash "$repo_root/tests/compat/run.sh" || status=$?
  if [[ "$status" -ne 0 ]]; then
    log "error: the official client compatibility test through a cluster failed (exit status $status)"
    bash "$repo_root/scripts/cluster.sh" status --dir "$cluster_dir" >&2 || true
    local file
    for file in "$cluster_dir"/silo-*/silo.log "$cluster_dir"/edge-*/edge.log; do
      [[ -s "$file" ]] || continue
      log "last 40 lines of $file (level Warning):"
      tail -n 40 "$file" | sed -e 's/^/      | /' >&2
    done
  fi
  return "$status"
}

main() {
  cd "$repo_root"
  command -v dotnet >/dev/null 2>&1 || fail "dotnet is not on PATH (install the .NET 10 SDK)"
  if ! pg_bin="$(openclaw_find_pg_bin)"; then
    log "error: PostgreSQL server binaries (initdb, pg_ctl) were not found."
    log "Install them, then rerun this script:"
    log "    apt-get update && apt-get install -y postgresql      # Debian 12 ships PostgreSQL 15"
    log "or point OPENCLAW_PG_BIN at the directory holding initdb and pg_ctl."
    exit 1
  fi

  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  init_cluster
  start_server
  create_database

  export OPENCLAW_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=$SUPERUSER;Database=$DATABASE;Pooling=true"
  export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
  log "PostgreSQL $("$pg_bin/pg_ctl" --version | sed -E 's/^[^0-9]*([0-9][0-9.]*).*/\1/') is up on 127.0.0.1:$port (database $DATABASE, data in $tmp_dir)"

  # Both suites always run; their counts are summed into one closing line.
  local results status=0
  results="$(mktemp)"
  dotnet test OpenClaw.Orleans.sln -c Release "$@" 2>&1 | tee "$results" || status=$?
  run_official_client_compatibility_test 2>&1 | tee -a "$results" || status=$?
  (run_official_client_compatibility_test_through_cluster) 2>&1 | tee -a "$results" || status=$?
  print_summary "$results" "$status"
  rm -f "$results"
  return "$status"
}

# One closing line for CI: "tests: N passed, M failed", from dotnet test's per-assembly lines
# ("Passed!  - Failed: 0, Passed: 175, ...") and the compat runs' "compat: N passed, M failed"
# (one line per run: the single silo and the cluster; all are summed).
print_summary() {
  local results="$1" status="$2" passed failed
  # `|| true`: a count that is absent (compat skipped, nothing failed) is no error under pipefail.
  passed=$( { grep -oE 'Passed: +[0-9]+' "$results" | grep -oE '[0-9]+' || true; grep -oE '^compat: [0-9]+ passed' "$results" | grep -oE '[0-9]+' || true; } | awk '{s+=$1} END {print s+0}')
  failed=$( { grep -oE 'Failed: +[0-9]+' "$results" | grep -oE '[0-9]+' || true; grep -oE '^compat: [0-9]+ passed, [0-9]+ failed' "$results" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || true; } | awk '{s+=$1} END {print s+0}')
  # A build error or crash produces no count: never let that read as all green.
  if [[ "$status" -ne 0 && "$failed" -eq 0 ]]; then failed=1; fi
  echo "tests: $passed passed, $failed failed"
}

main "$@"
