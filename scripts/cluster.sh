#!/usr/bin/env bash
# A whole cluster on this machine, for trying it, demos and tests: a throwaway PostgreSQL, N silo
# processes, M edge processes and HAProxy in front of the edges, all on 127.0.0.1.
#
#   scripts/cluster.sh start [--silos N] [--edges M] [--port P] [--dir D] [--no-build | --build]
#                            [--tenants K] [--log-level L] [--foreground]
#   scripts/cluster.sh status        [--dir D]     processes, ports, /health of each
#   scripts/cluster.sh env           [--dir D]     OPENCLAW_CLUSTER_URL=… OPENCLAW_CLUSTER_TOKEN=… (for eval)
#   scripts/cluster.sh kill-silo     <i> | --hosting <grain id> [--dir D]    SIGKILL (no restart)
#   scripts/cluster.sh restart-silo  <i> [--dir D]  SIGTERM, wait for the exit, start again, wait healthy
#   scripts/cluster.sh restart-edge  <i> [--dir D]  the same for an edge (same port)
#   scripts/cluster.sh stop          [--dir D]     stops everything it started, removes the folder
#
# start: builds src/Silo and src/EdgeGateway (Release) when their dlls are missing (--build: always,
# incrementally; --no-build: never), initializes PostgreSQL in <dir>/pg (trust auth on loopback,
# fsync off; as root it runs as the `postgres` user), starts silo 1, then the other silos, then the
# edges, then HAProxy on port P (default 18789; `mode http`, long tunnel timeout for WebSockets,
# `balance leastconn`, health check GET /health on every edge), and waits until every process is
# healthy (deadline $OPENCLAW_CLUSTER_START_TIMEOUT s, default 180; on failure it names the process,
# prints the end of its log, stops everything it started and keeps the logs in the folder). It
# prints the one URL and the token of tenant `demo` (echo provider, a random 32-hex-digit token,
# declared on every silo: creating it is an idempotent upsert). --tenants K declares K more echo
# tenants, tenant-1 … tenant-K (benchmarks; their tokens are in <dir>/tenants.json). --log-level
# sets the silos' and edges' Logging:LogLevel:Default (Information). --foreground stays attached
# and stops everything on Ctrl-C.
#
# Silos and edges are numbered from 1. Every process is started in its own session, recorded by
# pid in the folder (default ${TMPDIR:-/tmp}/openclaw-cluster), and stopped by that pid only after
# checking that it is still the process we started. Silos and edges get SIGTERM (they drain) and
# SIGKILL after a grace period; HAProxy SIGTERM; PostgreSQL `pg_ctl stop -m fast`.
#
# Layout of the folder: cluster.env (settings, 0600: it holds the token), tenants.json (0600, the
# silos' OPENCLAW_GLOBAL_CONFIG), data/ (the silos' data directory: workspaces), pg/ (PostgreSQL;
# as root, when the `postgres` user cannot reach the folder, /tmp/openclaw-cluster-pg.XXXXXX
# instead), silo-<i>/ and edge-<i>/ (pid, ports, log), haproxy.cfg, haproxy.pid, haproxy.log.
#
# Environment: OPENCLAW_PG_BIN (directory with initdb/pg_ctl), OPENCLAW_CLUSTER_START_TIMEOUT
# (seconds per wait for health, default 180), OPENCLAW_CLUSTER_SILO_GRACE (seconds between SIGTERM
# and SIGKILL for a silo, default 90; a silo drains for up to cluster:drainTimeout, 60 s),
# OPENCLAW_CLUSTER_EDGE_GRACE (default 30).
set -euo pipefail

readonly DEFAULT_SILOS=3
readonly DEFAULT_EDGES=2
readonly DEFAULT_LB_PORT=18789
readonly TENANT_ID=demo
readonly DATABASE=openclaw
readonly PG_SUPERUSER=postgres
readonly START_TIMEOUT=${OPENCLAW_CLUSTER_START_TIMEOUT:-180}
readonly SILO_GRACE=${OPENCLAW_CLUSTER_SILO_GRACE:-90}
readonly EDGE_GRACE=${OPENCLAW_CLUSTER_EDGE_GRACE:-30}
readonly HAPROXY_GRACE=10
readonly MARKER=cluster.env

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/postgres.sh
source "$repo_root/scripts/lib/postgres.sh"
readonly silo_dll="$repo_root/src/Silo/bin/Release/net10.0/openclaw-silo.dll"
readonly edge_dll="$repo_root/src/EdgeGateway/bin/Release/net10.0/openclaw-edge.dll"

# Settings of the cluster in $dir (read from / written to cluster.env).
dir=""
CLUSTER_ID=""
TOKEN=""
LB_PORT=""
SILOS=""
EDGES=""
PG_BIN=""
PG_PORT=""
PG_DIR=""
LOG_LEVEL=""
POSTGRES=""

log() { printf 'cluster.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed -e 's/^# \{0,1\}//' >&2
  exit 2
}

# ---------------------------------------------------------------------------------------------
# Processes

# True while $1 runs (a zombie, waiting for a parent that no longer cares, counts as gone).
alive() {
  local pid=$1 state
  [[ -n "$pid" && -r "/proc/$pid/stat" ]] || return 1
  state=$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ "$state" != Z && "$state" != X ]]
}

# True when pid $1 is alive and its command line contains $2 (so a reused pid is never signalled).
ours() {
  local pid=$1 needle=$2
  alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -F -- "$needle"
}

read_pid() { [[ -f "$1" ]] && cat "$1" || true; }

# stop_process NAME PIDFILE NEEDLE GRACE: SIGTERM, wait up to GRACE s, then SIGKILL; waits for the exit.
stop_process() {
  local name=$1 pidfile=$2 needle=$3 grace=$4 pid deadline
  pid=$(read_pid "$pidfile")
  [[ -n "$pid" ]] || return 0
  if ! ours "$pid" "$needle"; then
    rm -f -- "$pidfile"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + grace))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if alive "$pid"; then
    log "$name (pid $pid) still running ${grace} s after SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  fi
  rm -f -- "$pidfile"
}

# launch PIDFILE LOGFILE COMMAND...: starts COMMAND in its own session (Ctrl-C in the caller's
# terminal does not reach it; `stop` ends it), stdin from /dev/null, output appended to LOGFILE,
# without fd 8 (the folder's lock: a process holding it would block every later command).
launch() {
  local pidfile=$1 logfile=$2
  shift 2
  setsid "$@" </dev/null >>"$logfile" 2>&1 8>&- &
  echo "$!" >"$pidfile"
}

# Environment for silos and edges: nothing from the caller may redirect them.
clean_env=(env -u OPENCLAW_GLOBAL_CONFIG -u OPENCLAW_SERVICE_TOKEN -u OPENCLAW_DEMO_TOKEN -u OPENCLAW_PORT
  -u OPENCLAW_DATA_DIR -u ASPNETCORE_URLS -u DOTNET_URLS -u ASPNETCORE_HTTP_PORTS -u ASPNETCORE_HTTPS_PORTS
  DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1)

# ---------------------------------------------------------------------------------------------
# HTTP without curl (a fresh Debian has none): one GET over bash's /dev/tcp, bounded.

# http_get PORT PATH: prints the raw response (HTTP/1.0: no chunking, the server closes).
http_get() {
  timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$2" >&3
    cat <&3' _ "$1" "$2" 2>/dev/null || true
}

# health PORT: prints "<status code> <body>" of GET /health ("000" when nothing answers).
health() {
  local response code body
  response=$(http_get "$1" /health | tr -d '\r')
  code=$(head -n 1 <<<"$response" | awk '{print $2}')
  body=$(sed -n '/^$/,$p' <<<"$response" | tr -d '\n')
  printf '%s %s\n' "${code:-000}" "$body"
}

healthy() { [[ "$(health "$1" | cut -d' ' -f1)" == 200 ]]; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

reserved_ports=" "
# A free loopback port, different from every port this script handed out before.
free_port() {
  local candidate
  for _ in $(seq 1 200); do
    candidate=$((20000 + RANDOM % 40000))
    [[ "$reserved_ports" == *" $candidate "* ]] && continue
    port_in_use "$candidate" && continue
    reserved_ports+="$candidate "
    printf '%s\n' "$candidate"
    return 0
  done
  die "found no free TCP port on 127.0.0.1"
}

# show_log FILE [LINES]: the end of a log, indented.
show_log() {
  local file=$1 lines=${2:-40}
  [[ -s "$file" ]] || { log "  ($file is empty)"; return 0; }
  log "last $lines lines of $file:"
  tail -n "$lines" "$file" | sed -e 's/^/      | /' >&2
}

# wait_healthy NAME PID PORT LOGFILE: until GET /health is 200; fails when the process exits or at the deadline.
wait_healthy() {
  local name=$1 pid=$2 port=$3 logfile=$4 deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! alive "$pid"; then
      show_log "$logfile"
      die "$name (pid $pid) exited before it became healthy (log: $logfile)"
    fi
    healthy "$port" && return 0
    sleep 0.3
  done
  show_log "$logfile"
  die "$name (pid $pid) did not answer GET http://127.0.0.1:$port/health with 200 within $START_TIMEOUT s (last: $(health "$port"); log: $logfile)"
}

# ---------------------------------------------------------------------------------------------
# State

save_state() {
  local file="$dir/$MARKER"
  (umask 077 && cat >"$file" <<EOF
# scripts/cluster.sh state; removed by \`scripts/cluster.sh stop --dir $dir\`
CLUSTER_ID=$(printf '%q' "$CLUSTER_ID")
TOKEN=$(printf '%q' "$TOKEN")
LB_PORT=$(printf '%q' "$LB_PORT")
SILOS=$(printf '%q' "$SILOS")
EDGES=$(printf '%q' "$EDGES")
PG_BIN=$(printf '%q' "$PG_BIN")
PG_PORT=$(printf '%q' "$PG_PORT")
PG_DIR=$(printf '%q' "$PG_DIR")
LOG_LEVEL=$(printf '%q' "$LOG_LEVEL")
POSTGRES=$(printf '%q' "$POSTGRES")
EOF
  )
}

load_state() {
  [[ -f "$dir/$MARKER" ]] || die "no cluster in $dir (start one with: scripts/cluster.sh start --dir $dir)"
  # shellcheck disable=SC1090
  source "$dir/$MARKER"
}

as_pg() { openclaw_as_pg "$@"; }

psql_cluster() {
  local psql="$PG_BIN/psql"
  [[ -x "$psql" ]] || psql=psql
  "$psql" -q -X -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_SUPERUSER" -d "$DATABASE" "$@"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL


start_postgres() {
  local attempt
  PG_BIN="$(openclaw_find_pg_bin)" || die "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install -y postgresql, or set OPENCLAW_PG_BIN"
  PG_DIR="$dir/pg"
  if [[ "$(id -u)" -eq 0 ]]; then
    id -u "$PG_SUPERUSER" >/dev/null 2>&1 || die "running as root but there is no '$PG_SUPERUSER' user to run PostgreSQL"
    # The server runs as another user, who may not be able to reach a folder inside $dir (a
    # private temporary folder): then it gets a folder of its own in /tmp.
    runuser -u "$PG_SUPERUSER" -- test -x "$dir" || PG_DIR="$(mktemp -d /tmp/openclaw-cluster-pg.XXXXXX)"
  fi
  save_state
  mkdir -p "$PG_DIR"
  [[ "$(id -u)" -eq 0 ]] && chown "$PG_SUPERUSER:" "$PG_DIR"
  local pg_dir="$PG_DIR" data="$PG_DIR/data"
  as_pg "$PG_BIN/initdb" -D "$data" -U "$PG_SUPERUSER" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=trust >"$pg_dir/initdb.log" 2>&1 \
    || { show_log "$pg_dir/initdb.log"; die "initdb failed"; }
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_pg tee "$data/pg_hba.conf" >/dev/null
  as_pg tee -a "$data/postgresql.conf" >/dev/null <<EOF

# scripts/cluster.sh: a throwaway server for a local cluster, on loopback only. Speed over durability.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pg_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 500
EOF
  for attempt in 1 2 3 4 5; do
    PG_PORT=$(free_port)
    if as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$pg_dir/postgres.log" -o "-p $PG_PORT" -w -t 60 start >/dev/null 8>&-; then
      POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_SUPERUSER;Database=$DATABASE;Pooling=true"
      save_state
      local psql="$PG_BIN/psql"
      [[ -x "$psql" ]] || psql=psql
      "$psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_SUPERUSER" -d postgres \
        -c "CREATE DATABASE $DATABASE" >/dev/null
      log "postgres: 127.0.0.1:$PG_PORT (data $data)"
      return 0
    fi
    log "PostgreSQL did not start on port $PG_PORT (attempt $attempt)"
  done
  show_log "$pg_dir/postgres.log"
  die "could not start PostgreSQL"
}

stop_postgres() {
  local data="$PG_DIR/data"
  [[ -n "$PG_DIR" ]] || return 0
  [[ -f "$data/postmaster.pid" && -n "$PG_BIN" ]] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 \
    || as_pg "$PG_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------------------------------------
# Silos and edges

# start_silo I: starts silo I on the ports recorded in silo-I/ (chosen on first start), no wait.
start_silo() {
  local i=$1 folder="$dir/silo-$1"
  mkdir -p "$folder"
  [[ -f "$folder/http-port" ]] || free_port >"$folder/http-port"
  [[ -f "$folder/silo-port" ]] || free_port >"$folder/silo-port"
  printf '\n==== %s start\n' "$(date -u +%FT%TZ)" >>"$folder/silo.log"
  (cd "$folder" && launch "$folder/pid" "$folder/silo.log" "${clean_env[@]}" OPENCLAW_GLOBAL_CONFIG="$dir/tenants.json" \
    dotnet "$silo_dll" --port "$(cat "$folder/http-port")" --host 127.0.0.1 --data-dir "$dir/data" \
    --storage postgres --postgres "$POSTGRES" \
    --cluster:enabled true --cluster:clusterId "$CLUSTER_ID" --cluster:siloPort "$(cat "$folder/silo-port")" \
    --cluster:listenAddress 127.0.0.1 --cluster:advertisedHost 127.0.0.1 \
    --edge:enabled false --demo:enabled false --Logging:LogLevel:Default "$LOG_LEVEL")
}

start_edge() {
  local i=$1 folder="$dir/edge-$1"
  mkdir -p "$folder"
  [[ -f "$folder/port" ]] || free_port >"$folder/port"
  printf '\n==== %s start\n' "$(date -u +%FT%TZ)" >>"$folder/edge.log"
  (cd "$folder" && launch "$folder/pid" "$folder/edge.log" "${clean_env[@]}" \
    dotnet "$edge_dll" --port "$(cat "$folder/port")" --host 127.0.0.1 --postgres "$POSTGRES" \
    --cluster:clusterId "$CLUSTER_ID" --edge:trustedProxies:0 127.0.0.1 --Logging:LogLevel:Default "$LOG_LEVEL")
}

wait_silo() { wait_healthy "silo $1" "$(read_pid "$dir/silo-$1/pid")" "$(cat "$dir/silo-$1/http-port")" "$dir/silo-$1/silo.log"; }
wait_edge() { wait_healthy "edge $1" "$(read_pid "$dir/edge-$1/pid")" "$(cat "$dir/edge-$1/port")" "$dir/edge-$1/edge.log"; }

stop_silo() { stop_process "silo $1" "$dir/silo-$1/pid" "$CLUSTER_ID" "$SILO_GRACE"; }
stop_edge() { stop_process "edge $1" "$dir/edge-$1/pid" "$CLUSTER_ID" "$EDGE_GRACE"; }

# ---------------------------------------------------------------------------------------------
# HAProxy

write_haproxy_config() {
  local i servers=""
  for ((i = 1; i <= EDGES; i++)); do
    servers+="    server edge-$i 127.0.0.1:$(cat "$dir/edge-$i/port") check"$'\n'
  done
  cat >"$dir/haproxy.cfg" <<EOF
# scripts/cluster.sh: HAProxy in front of the edges (WebSockets over plain HTTP on loopback).
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    # After the upgrade a WebSocket is a tunnel: the gateway's ticks keep it busy, this bounds a dead one.
    timeout tunnel 1h
    timeout client-fin 5s
    timeout http-request 10s
    # A stopping edge answers the upgrade with 503: try another edge instead of failing the client.
    retries 3
    option redispatch
    retry-on conn-failure empty-response 503

frontend openclaw
    bind 127.0.0.1:$LB_PORT
    # The edges throttle failed token checks per client address: pass it on (they trust 127.0.0.1).
    option forwardfor
    default_backend edges

backend edges
    balance leastconn
    option httpchk GET /health
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
$servers
EOF
}

start_haproxy() {
  command -v haproxy >/dev/null 2>&1 || die "haproxy is not installed (apt-get install -y --no-install-recommends haproxy)"
  write_haproxy_config
  haproxy -c -q -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 || { show_log "$dir/haproxy.log"; die "haproxy rejected $dir/haproxy.cfg"; }
  (launch "$dir/haproxy.pid" "$dir/haproxy.log" haproxy -db -f "$dir/haproxy.cfg")
  wait_healthy "haproxy" "$(read_pid "$dir/haproxy.pid")" "$LB_PORT" "$dir/haproxy.log"
}

stop_haproxy() { stop_process haproxy "$dir/haproxy.pid" "$dir/haproxy.cfg" "$HAPROXY_GRACE"; }

# ---------------------------------------------------------------------------------------------
# Commands

# Everything recorded in $dir, in the order clients → edges → silos → PostgreSQL. Keeps the folder.
stop_everything() {
  local i
  stop_haproxy
  for ((i = 1; i <= ${EDGES:-0}; i++)); do stop_edge "$i" & done
  wait
  for ((i = 1; i <= ${SILOS:-0}; i++)); do stop_silo "$i" & done
  wait
  stop_postgres
}

# Removes $dir and PostgreSQL's folder when it had to live outside (state loaded, processes stopped).
remove_folders() {
  [[ "$PG_DIR" == /tmp/openclaw-cluster-pg.* ]] && rm -rf -- "$PG_DIR"
  rm -rf -- "$dir"
}

lock_dir() {
  exec 8>"$dir/.lock"
  flock -w 900 8 || die "another cluster.sh command holds $dir/.lock"
}

build_if_needed() {
  local mode=$1
  if [[ "$mode" == never ]]; then
    [[ -f "$silo_dll" && -f "$edge_dll" ]] || die "--no-build, but $silo_dll or $edge_dll is missing (dotnet build OpenClaw.Orleans.sln -c Release)"
    return 0
  fi
  if [[ "$mode" == missing && -f "$silo_dll" && -f "$edge_dll" ]]; then return 0; fi
  command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH (install the .NET 10 SDK)"
  local project
  for project in src/Silo src/EdgeGateway; do
    log "building $project (Release) ..."
    (cd "$repo_root" && DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly) >&2 \
      || die "dotnet build $project -c Release failed"
  done
}

print_connection() {
  local client="openclaw"
  [[ -x "$repo_root/.cache/openclaw-client/node_modules/.bin/openclaw" ]] \
    && client="PATH=$repo_root/.cache/openclaw-client/node_modules/.bin:\$PATH openclaw"
  cat <<EOF
OpenClaw cluster: ws://127.0.0.1:$LB_PORT   ($SILOS silo(s), $EDGES edge(s) behind HAProxy; state in $dir)
Tenant '$TENANT_ID' token: $TOKEN
Try it:  $client gateway call health --url ws://127.0.0.1:$LB_PORT --token $TOKEN --json
Status:  scripts/cluster.sh status --dir $dir        Stop: scripts/cluster.sh stop --dir $dir
EOF
}

cmd_start() {
  local build=missing foreground=0 extra_tenants=0
  SILOS=$DEFAULT_SILOS EDGES=$DEFAULT_EDGES LB_PORT=$DEFAULT_LB_PORT LOG_LEVEL=Information
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --silos) SILOS=${2:?--silos needs a number}; shift 2 ;;
      --edges) EDGES=${2:?--edges needs a number}; shift 2 ;;
      --port) LB_PORT=${2:?--port needs a number}; shift 2 ;;
      --log-level) LOG_LEVEL=${2:?--log-level needs a level}; shift 2 ;;
      --tenants) extra_tenants=${2:?--tenants needs a number}; shift 2 ;;
      --no-build) build=never; shift ;;
      --build) build=always; shift ;;
      --foreground) foreground=1; shift ;;
      *) die "start: unknown option '$1'" ;;
    esac
  done
  [[ "$SILOS" =~ ^[1-9][0-9]*$ && "$EDGES" =~ ^[1-9][0-9]*$ && "$LB_PORT" =~ ^[1-9][0-9]*$ && "$extra_tenants" =~ ^[0-9]+$ ]] \
    || die "--silos and --edges need a number ≥ 1, --tenants a number ≥ 0, --port a port number"

  if [[ -f "$dir/$MARKER" ]]; then
    (source "$dir/$MARKER" && cmd_running) && die "a cluster is already running in $dir (scripts/cluster.sh stop --dir $dir)"
    (source "$dir/$MARKER" && remove_folders)   # a previous run that failed or was killed: only its logs were left
  elif [[ -d "$dir" && -n "$(ls -A "$dir" 2>/dev/null)" ]]; then
    die "$dir exists and is not a cluster folder: choose another --dir"
  fi
  port_in_use "$LB_PORT" && die "port $LB_PORT on 127.0.0.1 is taken: choose another with --port"
  reserved_ports+="$LB_PORT "
  build_if_needed "$build"

  mkdir -p "$dir"
  chmod 0755 "$dir"   # PostgreSQL (another user when we are root) should reach $dir/pg
  dir="$(cd "$dir" && pwd)"
  lock_dir
  CLUSTER_ID="local-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
  TOKEN="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  save_state

  # From here on a failure stops whatever was started; the folder keeps the logs.
  trap 'start_failed' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  write_tenants "$extra_tenants"
  start_postgres

  # Silo 1 alone first (it creates the schemas), then the others together.
  local i started=$SECONDS
  start_silo 1
  wait_silo 1
  for ((i = 2; i <= SILOS; i++)); do start_silo "$i"; done
  for ((i = 2; i <= SILOS; i++)); do wait_silo "$i"; done
  for ((i = 1; i <= SILOS; i++)); do
    log "silo $i: pid $(cat "$dir/silo-$i/pid"), http 127.0.0.1:$(cat "$dir/silo-$i/http-port"), cluster port $(cat "$dir/silo-$i/silo-port")"
  done
  for ((i = 1; i <= EDGES; i++)); do start_edge "$i"; done
  for ((i = 1; i <= EDGES; i++)); do
    wait_edge "$i"
    log "edge $i: pid $(cat "$dir/edge-$i/pid"), ws://127.0.0.1:$(cat "$dir/edge-$i/port")"
  done
  start_haproxy
  log "haproxy: pid $(cat "$dir/haproxy.pid"), ws://127.0.0.1:$LB_PORT; everything healthy after $((SECONDS - started)) s"
  trap - EXIT INT TERM
  exec 8>&-

  print_connection
  if ((foreground)); then
    trap 'foreground_stop 130' INT
    trap 'foreground_stop 143' TERM
    log "running in the foreground: Ctrl-C stops the cluster"
    while true; do sleep 1 & wait $! || true; done
  fi
}

# tenants.json, the silos' OPENCLAW_GLOBAL_CONFIG: the demo tenant and $1 more, each with a random token.
write_tenants() {
  local count=$1 i entries
  entries=$(printf '    { "id": "%s", "token": "%s", "provider": "echo", "model": "echo-1" }' "$TENANT_ID" "$TOKEN")
  for ((i = 1; i <= count; i++)); do
    entries+=$(printf ',\n    { "id": "tenant-%s", "token": "%s", "provider": "echo", "model": "echo-1" }' \
      "$i" "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')")
  done
  (umask 077 && printf '{\n  "tenants": [\n%s\n  ]\n}\n' "$entries" >"$dir/tenants.json")
}

start_failed() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  log "start failed: stopping what was started"
  stop_everything
  [[ -n "$PG_DIR" ]] && rm -rf -- "$PG_DIR"
  rm -f -- "$dir/tenants.json"
  [[ "$PG_DIR" == "$dir/pg" ]] || PG_DIR=""
  save_state
  log "logs kept in $dir (scripts/cluster.sh stop --dir $dir removes the folder)"
  exit "$((status == 0 ? 1 : status))"
}

foreground_stop() {
  trap - INT TERM
  log "stopping ..."
  lock_dir
  stop_everything
  remove_folders
  log "stopped"
  exit "$1"
}

# True when any recorded process still runs (state loaded).
cmd_running() {
  local f
  for f in "$dir"/silo-*/pid "$dir"/edge-*/pid; do
    [[ -f "$f" ]] && ours "$(cat "$f")" "$CLUSTER_ID" && return 0
  done
  [[ -f "$dir/haproxy.pid" ]] && ours "$(cat "$dir/haproxy.pid")" "$dir/haproxy.cfg" && return 0
  [[ -n "$PG_DIR" && -f "$PG_DIR/data/postmaster.pid" ]] && alive "$(head -n 1 "$PG_DIR/data/postmaster.pid")" && return 0
  return 1
}

cmd_stop() {
  if [[ ! -f "$dir/$MARKER" ]]; then
    [[ -d "$dir" ]] && die "$dir is not a cluster folder (no $MARKER): not touching it"
    log "no cluster in $dir"
    return 0
  fi
  load_state
  lock_dir
  stop_everything
  remove_folders
  log "stopped; removed $dir"
}

cmd_status() {
  load_state
  local i pid state
  printf 'cluster %s in %s: ws://127.0.0.1:%s\n' "$CLUSTER_ID" "$dir" "$LB_PORT"
  pid=""
  [[ -f "$PG_DIR/data/postmaster.pid" ]] && pid=$(head -n 1 "$PG_DIR/data/postmaster.pid")
  alive "$pid" && state=running || state=stopped
  printf '%-9s pid %-8s %-8s 127.0.0.1:%s\n' postgres "${pid:--}" "$state" "$PG_PORT"
  for ((i = 1; i <= SILOS; i++)); do
    pid=$(read_pid "$dir/silo-$i/pid")
    ours "$pid" "$CLUSTER_ID" && state=running || state=stopped
    printf '%-9s pid %-8s %-8s http 127.0.0.1:%s cluster port %s  /health %s\n' "silo-$i" "${pid:--}" "$state" \
      "$(cat "$dir/silo-$i/http-port")" "$(cat "$dir/silo-$i/silo-port")" "$(health "$(cat "$dir/silo-$i/http-port")")"
  done
  for ((i = 1; i <= EDGES; i++)); do
    pid=$(read_pid "$dir/edge-$i/pid")
    ours "$pid" "$CLUSTER_ID" && state=running || state=stopped
    printf '%-9s pid %-8s %-8s ws://127.0.0.1:%s  /health %s\n' "edge-$i" "${pid:--}" "$state" \
      "$(cat "$dir/edge-$i/port")" "$(health "$(cat "$dir/edge-$i/port")")"
  done
  pid=$(read_pid "$dir/haproxy.pid")
  ours "$pid" "$dir/haproxy.cfg" && state=running || state=stopped
  printf '%-9s pid %-8s %-8s ws://127.0.0.1:%s  /health %s\n' haproxy "${pid:--}" "$state" "$LB_PORT" "$(health "$LB_PORT")"
}

cmd_env() {
  load_state
  printf 'OPENCLAW_CLUSTER_URL=%q\nOPENCLAW_CLUSTER_TOKEN=%q\nOPENCLAW_CLUSTER_TENANTS=%q\nOPENCLAW_CLUSTER_POSTGRES=%q\nOPENCLAW_CLUSTER_ID=%q\n' \
    "ws://127.0.0.1:$LB_PORT" "$TOKEN" "$dir/tenants.json" "$POSTGRES" "$CLUSTER_ID"
}

check_index() {
  local kind=$1 i=$2 count=$3
  [[ "$i" =~ ^[1-9][0-9]*$ ]] && ((i <= count)) || die "$kind index '$i' is not between 1 and $count"
}

# The silo index whose directory entry holds grain $1 (e.g. user/demo).
silo_hosting() {
  local grain=$1 address port i
  address=$(printf "SELECT silo FROM openclaw_grain_directory WHERE cluster_id = :'cluster' AND grain_id = :'grain';\n" \
    | psql_cluster -v cluster="$CLUSTER_ID" -v grain="$grain") || die "could not read the grain directory"
  [[ -n "$address" ]] || die "grain '$grain' is not in the grain directory (not active on any silo)"
  port=${address%@*}
  port=${port##*:}
  for ((i = 1; i <= SILOS; i++)); do
    if [[ "$(cat "$dir/silo-$i/silo-port")" == "$port" ]]; then
      printf '%s\n' "$i"
      return 0
    fi
  done
  die "grain '$grain' is registered on $address, which is none of this cluster's silos"
}

cmd_kill_silo() {
  load_state
  local i pid
  case "${1:-}" in
    --hosting) i=$(silo_hosting "${2:?--hosting needs a grain id, e.g. user/demo}") ;;
    *) i=${1:-}; check_index silo "$i" "$SILOS" ;;
  esac
  lock_dir
  pid=$(read_pid "$dir/silo-$i/pid")
  ours "$pid" "$CLUSTER_ID" || die "silo $i is not running"
  kill -KILL "$pid"
  while alive "$pid"; do sleep 0.1; done
  rm -f -- "$dir/silo-$i/pid"
  log "silo $i (pid $pid, cluster port $(cat "$dir/silo-$i/silo-port")) killed with SIGKILL"
}

cmd_restart() {
  local kind=$1 i=${2:-}
  load_state
  if [[ "$kind" == silo ]]; then check_index silo "$i" "$SILOS"; else check_index edge "$i" "$EDGES"; fi
  lock_dir
  local started=$SECONDS attempt logfile="$dir/$kind-$i/$kind.log" offset
  "stop_$kind" "$i"
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    offset=$(stat -c %s "$logfile" 2>/dev/null || echo 0)
    "start_$kind" "$i"
    # The port may still be held for a moment after the old process exited: retry on that.
    if ! (wait_"$kind" "$i") 2>"$dir/$kind-$i/start-error"; then
      if tail -c +"$((offset + 1))" "$logfile" | grep -q -i 'address already in use' \
        && ! alive "$(read_pid "$dir/$kind-$i/pid")" && ((attempt < 10)); then
        log "$kind $i: port still in use, retrying"
        sleep 1
        continue
      fi
      cat "$dir/$kind-$i/start-error" >&2
      die "$kind $i did not come back"
    fi
    break
  done
  rm -f -- "$dir/$kind-$i/start-error"
  log "$kind $i restarted (pid $(cat "$dir/$kind-$i/pid")) in $((SECONDS - started)) s"
}

main() {
  [[ $# -ge 1 ]] || usage
  local command=$1
  shift
  dir="${TMPDIR:-/tmp}/openclaw-cluster"
  local args=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --dir) dir=${2:?--dir needs a folder}; shift 2 ;;
      *) args+=("$1"); shift ;;
    esac
  done
  [[ "$dir" == /* ]] || dir="$PWD/$dir"
  case "$command" in
    start) cmd_start "${args[@]}" ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    kill-silo) cmd_kill_silo "${args[@]}" ;;
    restart-silo) cmd_restart silo "${args[@]}" ;;
    restart-edge) cmd_restart edge "${args[@]}" ;;
    -h | --help | help) usage ;;
    *) die "unknown command '$command' (start, status, env, kill-silo, restart-silo, restart-edge, stop)" ;;
  esac
}

main "$@"
