#!/usr/bin/env bash
# Runs the edge load benchmark with the silo's state in a throwaway PostgreSQL:
#
#   bench/EdgeLoad/run-with-postgres.sh [benchmark arguments...]     e.g. dormant --rounds 3
#
# Builds the silo and the benchmark, then runs it under scripts/with-postgres.sh with --postgres.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet build src/Silo -c Release --nologo -v q
dotnet build bench/EdgeLoad -c Release --nologo -v q
exec bash scripts/with-postgres.sh bash -c 'dotnet bench/EdgeLoad/bin/Release/net10.0/openclaw-edgeload.dll --postgres "$OPENCLAW_POSTGRES" "$@"' edgeload "$@"
