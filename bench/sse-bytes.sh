#!/usr/bin/env bash
# Bytes of Server-Sent Events per character of reply text, for a 4,000-token reply from a fake OpenAI-compatible
# model writing as fast as it can, a token a millisecond, and a token every 5 ms; five replies each.
#   bench/sse-bytes.sh [sqlite|postgres]
source "$(dirname "$0")/lib.sh"
bench_init "${1:-sqlite}"
[[ $DB == postgres ]] && export BENCH_DATABASE_URL=$DATABASE_URL
dotnet run -c Release --project bench/Ttft -- "$PWD/src/Parley/bin/Release/net10.0/Parley.dll" bytes
