#!/usr/bin/env bash
# Stop latency and follower lag across two instances on one PostgreSQL (BENCH_DATABASE_URL, a database of its own).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BENCH_DATABASE_URL:?set BENCH_DATABASE_URL to an empty PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/parley_bench}"
dotnet build src/Parley -c Release -p:SkipWebBuild=true -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet run -c Release --project bench/CrossInstance -- "$PWD/src/Parley/bin/Release/net10.0/Parley.dll"
