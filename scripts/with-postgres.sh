#!/usr/bin/env bash
# Runs a command next to a throwaway PostgreSQL (benchmarks, trying the cluster by hand):
#
#   scripts/with-postgres.sh <command> [arguments...]
#   e.g. scripts/with-postgres.sh dotnet bench/ClusterBench/bin/Release/net10.0/openclaw-clusterbench.dll
#
# Starts a fresh server the way scripts/test.sh does (temporary folder, 127.0.0.1 only, trust
# auth, fsync off; as root it runs as the `postgres` user), creates database `openclaw`, exports
# OPENCLAW_POSTGRES (an Npgsql connection string) for the command, runs it from the repository
# root, and always stops the server and deletes the folder.
#
# Environment: OPENCLAW_PG_BIN (directory with initdb/pg_ctl; default: version 15, else the newest
# installed); OPENCLAW_BENCH_PG_DURABLE=1 keeps fsync/synchronous_commit on.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/postgres.sh
source "$repo_root/scripts/lib/postgres.sh"
pg_bin="$(openclaw_find_pg_bin)" \
  || { echo "with-postgres.sh: PostgreSQL server binaries not found (apt-get install -y postgresql, or set OPENCLAW_PG_BIN)" >&2; exit 1; }

as_pg() { openclaw_as_pg "$@"; }

tmp_dir="$(mktemp -d /tmp/openclaw-pg.XXXXXX)"
data_dir="$tmp_dir/data"
cleanup() {
  local status=$?
  set +e
  [[ -f "$data_dir/postmaster.pid" ]] && as_pg "$pg_bin/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null 2>&1
  rm -rf -- "$tmp_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
[[ "$(id -u)" -eq 0 ]] && chown postgres: "$tmp_dir"

as_pg "$pg_bin/initdb" -D "$data_dir" -U postgres -E UTF8 --no-locale --auth-local=trust --auth-host=trust >"$tmp_dir/initdb.log" 2>&1 \
  || { cat "$tmp_dir/initdb.log" >&2; exit 1; }
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_pg tee "$data_dir/pg_hba.conf" >/dev/null
durability="fsync = off
synchronous_commit = off
full_page_writes = off"
[[ "${OPENCLAW_BENCH_PG_DURABLE:-0}" == 1 ]] && durability="# durable: fsync and synchronous_commit left on"
as_pg tee -a "$data_dir/postgresql.conf" >/dev/null <<EOF

# bench/EdgeLoad/with-postgres.sh: a throwaway server on loopback
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp_dir'
max_connections = 300
$durability
EOF

port=""
for _ in 1 2 3 4 5; do
  candidate=$(( 20000 + RANDOM % 40000 ))
  (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null && continue   # taken
  if as_pg "$pg_bin/pg_ctl" -D "$data_dir" -l "$tmp_dir/postgres.log" -o "-p $candidate" -w -t 60 start >/dev/null; then
    port=$candidate
    break
  fi
done
[[ -n "$port" ]] || { cat "$tmp_dir/postgres.log" >&2; echo "with-postgres.sh: PostgreSQL did not start" >&2; exit 1; }
"$pg_bin/psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE openclaw" >/dev/null
echo "with-postgres.sh: PostgreSQL $("$pg_bin/pg_ctl" --version | awk '{print $NF}') on 127.0.0.1:$port (data in $tmp_dir)"

export OPENCLAW_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=openclaw;Pooling=true"
cd "$repo_root"
"$@"
