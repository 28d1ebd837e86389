#!/usr/bin/env bash
# Regenerates web/openapi.json from the running server's document and the UI's typed client from it.
set -euo pipefail
cd "$(dirname "$0")/.."
PARLEY_UPDATE_OPENAPI=1 SkipWebBuild=true dotnet test tests/Parley.Tests --filter "FullyQualifiedName~OpenApiDocumentTests" >/dev/null
(cd web && npm run --silent gen:api)
echo "Updated web/openapi.json and web/src/lib/api/schema.ts"
