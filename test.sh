#!/usr/bin/env bash
# Runs every test suite: backend (xunit, on SQLite and on a throwaway PostgreSQL, attachments on a folder and on a
# throwaway S3-compatible server), front end (API types check, type check, Vitest) and browser journeys (Playwright
# in Debian's Chromium).
# Installs chromium, postgresql and nginx with apt when they are missing. A suite that cannot run fails the run.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
LOGS=$(mktemp -d /tmp/parley-test-logs.XXXXXX)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NPM_CONFIG_UPDATE_NOTIFIER=false

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { echo "test.sh: $*" >&2; exit 1; }

# --- Tools -------------------------------------------------------------------------------------------------
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[[ -x /usr/sbin/nginx ]] || missing+=(nginx)
if ((${#missing[@]})); then
  step "Installing ${missing[*]} with apt"
  if [[ $(id -u) -eq 0 ]]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else die "need root or sudo to install ${missing[*]}"; fi
  "${sudo[@]}" apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOGS/apt.log" 2>&1 \
    || { cat "$LOGS/apt.log"; die "could not install ${missing[*]}"; }
fi

# --- Throwaway PostgreSQL on 127.0.0.1 ------------------------------------------------------------------------
PG_DIR=$(mktemp -d /tmp/parley-pg.XXXXXX)
PG_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
S3_DIR=$(mktemp -d /tmp/parley-s3.XXXXXX)
S3_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
cleanup() { scripts/test-postgres.sh stop "$PG_DIR"; scripts/test-s3.sh stop "$S3_DIR"; rm -rf "$LOGS"; }
trap cleanup EXIT
step "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
PARLEY_TEST_POSTGRES=$(scripts/test-postgres.sh start "$PG_DIR" "$PG_PORT") || die "PostgreSQL did not start"
export PARLEY_TEST_POSTGRES

# --- Throwaway S3-compatible server (s3rver) on 127.0.0.1 -------------------------------------------------------
step "Starting an S3-compatible server on 127.0.0.1:$S3_PORT"
PARLEY_TEST_S3=$(scripts/test-s3.sh start "$S3_DIR" "$S3_PORT") || die "the S3-compatible server did not start"
export PARLEY_TEST_S3

# --- Build (the MSBuild target also runs npm ci and the Vite build) ----------------------------------------
step "Building"
dotnet build Parley.slnx -nologo -v quiet -clp:ErrorsOnly || die "build failed"

declare -A passed failed
status=0
record() { # suite, passed, failed, exit code
  passed[$1]=${2:-0}; failed[$1]=${3:-0}
  if [[ $4 -ne 0 && ${3:-0} -eq 0 ]]; then failed[$1]=1; fi
  [[ $4 -eq 0 ]] || status=1
}

# --- 1. Backend ---------------------------------------------------------------------------------------------
step "Backend tests (xunit: SQLite + PostgreSQL)"
export PARLEY_CONTRACT_REPORT="$LOGS/contract.txt" # responses that break web/openapi.json (see ApiContract)
dotnet test Parley.slnx --no-build --nologo 2>&1 | tee "$LOGS/dotnet.log"
code=${PIPESTATUS[0]}
if [[ -s $PARLEY_CONTRACT_REPORT ]]; then step "Responses that break the OpenAPI document"; cat "$PARLEY_CONTRACT_REPORT"; fi
line=$(grep -E '(Passed|Failed)!.*Total:' "$LOGS/dotnet.log" | tail -1)
record backend "$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line")" "$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$line")" "$code"

# --- 2. Front end ---------------------------------------------------------------------------------------------
step "Front-end checks (generated API types up to date) and unit tests (Vitest)"
(cd web && npm run --silent check:api) || { echo "web/src/lib/api/schema.ts is stale"; status=1; failed[api-types]=1; }
(cd web && npx vitest run --reporter=default) 2>&1 | tee "$LOGS/vitest.log"
code=${PIPESTATUS[0]}
line=$(sed 's/\x1b\[[0-9;]*m//g' "$LOGS/vitest.log" | grep -E '^ +Tests ' | tail -1)
record frontend "$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$line")" "$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$line")" "$code"

# --- 3. Browser -------------------------------------------------------------------------------------------------
step "Browser journeys (Playwright + Chromium, desktop and phone)"
(cd web && npx playwright test --reporter=list) 2>&1 | tee "$LOGS/playwright.log"
code=${PIPESTATUS[0]}
clean=$(sed 's/\x1b\[[0-9;]*m//g' "$LOGS/playwright.log")
record browser "$(grep -oE '^ +[0-9]+ passed' <<<"$clean" | grep -oE '[0-9]+' | tail -1)" \
  "$(grep -oE '^ +[0-9]+ failed' <<<"$clean" | grep -oE '[0-9]+' | tail -1)" "$code"
echo "Screenshots: web/test-results/screenshots/"

# --- Summary ----------------------------------------------------------------------------------------------------
step "Summary"
total_passed=0; total_failed=0
for suite in backend frontend browser api-types; do
  [[ -n ${passed[$suite]:-}${failed[$suite]:-} ]] || continue
  printf '  %-10s %4s passed, %s failed\n' "$suite" "${passed[$suite]:-0}" "${failed[$suite]:-0}"
  total_passed=$((total_passed + ${passed[$suite]:-0})); total_failed=$((total_failed + ${failed[$suite]:-0}))
done
echo "Total: $total_passed passed, $total_failed failed"
exit $status
