#!/usr/bin/env bash
# Time to first token Parley adds over the model server, at 1 and 50 concurrent streams; bytes for a 4,000-token reply.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Parley -c Release -p:SkipWebBuild=true -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet run -c Release --project bench/Ttft -- "$PWD/src/Parley/bin/Release/net10.0/Parley.dll"
