# Shared by scripts/test.sh, scripts/with-postgres.sh and scripts/cluster.sh (sourced, not run):
# where the PostgreSQL server binaries are, and running a command as the user that owns a
# throwaway server (PostgreSQL refuses to run as root).

# Prints the directory holding initdb and pg_ctl: $OPENCLAW_PG_BIN, then version 15 (Debian 12's),
# then the newest installed Debian version, then whatever is on PATH. Fails when there is none.
openclaw_find_pg_bin() {
  local candidate
  for candidate in "${OPENCLAW_PG_BIN:-}" /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [[ -n "$candidate" && -x "$candidate/pg_ctl" && -x "$candidate/initdb" ]]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  return 1
}

# Runs a command as the `postgres` user when we are root, else as ourselves.
openclaw_as_pg() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
