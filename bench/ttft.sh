#!/usr/bin/env bash
# Time to first token Parley adds over the model server, at 1 and 50 concurrent streams, in rounds that alternate
# calling the fake model directly and through Parley.
#   bench/ttft.sh [sqlite|postgres]
source "$(dirname "$0")/lib.sh"
bench_init "${1:-sqlite}"
[[ $DB == postgres ]] && export BENCH_DATABASE_URL=$DATABASE_URL
dotnet run -c Release --project bench/Ttft -- "$PWD/src/Parley/bin/Release/net10.0/Parley.dll" ttft
