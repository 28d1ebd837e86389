#!/usr/bin/env bash
# Latency of one history page (30 messages) at the newest and the oldest end of chats of 100, 10,000 and 100,000
# messages, on SQLite or PostgreSQL. Keyset pagination should make all six figures about the same.
#   bench/history-pages.sh [sqlite|postgres]
# Needs wrk and sqlite3 (installed with apt when missing); loopback only; about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-sqlite}
PORT=${PORT:-5299}
DURATION=${DURATION:-10s}
WORK=$(mktemp -d /tmp/parley-bench.XXXXXX)
chmod 755 "$WORK" # the PostgreSQL server runs as the postgres user
BASE=http://127.0.0.1:$PORT

for tool in wrk sqlite3; do
  command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $tool >/dev/null; }
done

cleanup() { [[ -n ${APP:-} ]] && kill "$APP" 2>/dev/null; [[ $DB == postgres ]] && scripts/test-postgres.sh stop "$WORK/pg"; rm -rf "$WORK"; }
trap cleanup EXIT

if [[ $DB == postgres ]]; then
  PG=$(scripts/test-postgres.sh start "$WORK/pg" 55499)
  export DATABASE_URL="$PG"
  sql() { psql -h 127.0.0.1 -p 55499 -U postgres -d postgres -qtAX -c "$1"; }
else
  export DATABASE_URL="sqlite:///$WORK/bench.db"
  sql() { sqlite3 "$WORK/bench.db" "$1"; }
fi

dotnet build src/Parley -c Release -p:SkipWebBuild=true -nologo -v quiet -clp:ErrorsOnly >"$WORK/build.log" || { cat "$WORK/build.log"; exit 1; }
ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=$BASE SECRET_KEY=$(head -c 48 /dev/urandom | base64) \
  Auth__BcryptWorkFactor=4 Logging__LogLevel__Default=Warning \
  dotnet src/Parley/bin/Release/net10.0/Parley.dll >"$WORK/app.log" 2>&1 &
APP=$!
until curl -sf "$BASE/healthz" >/dev/null; do sleep 0.2; done

TOKEN=$(curl -sf "$BASE/api/auth/register" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench password"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
AUTH="Authorization: Bearer $TOKEN"
# JIT and connection-pool warm-up, not measured.
wrk -t2 -c8 -d5s -H "$AUTH" "$BASE/api/chats" >/dev/null

printf '%-8s %-10s %8s %8s %8s %10s\n' messages page p50 p90 p99 req/s
for n in 100 10000 100000; do
  chat=$(curl -sf "$BASE/api/chats" -H "$AUTH" -H 'Content-Type: application/json' -d '{"title":"bench"}' | sed -E 's/.*"id":([0-9]+).*/\1/')
  if [[ $DB == postgres ]]; then
    sql "INSERT INTO \"Messages\" (\"ChatId\",\"Role\",\"Content\",\"Status\",\"CreatedAt\") SELECT $chat, CASE i%2 WHEN 0 THEN 'Assistant' ELSE 'User' END, 'message ' || i, 'Complete', now() FROM generate_series(1,$n) i; ANALYZE;"
    oldest=$(sql "SELECT min(\"Id\") FROM \"Messages\" WHERE \"ChatId\"=$chat")
  else
    sql "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < $n) INSERT INTO Messages (ChatId,Role,Content,Status,CreatedAt) SELECT $chat, CASE i%2 WHEN 0 THEN 'Assistant' ELSE 'User' END, 'message ' || i, 'Complete', '2026-01-01 00:00:00' FROM s; ANALYZE;"
    oldest=$(sql "SELECT min(Id) FROM Messages WHERE ChatId=$chat")
  fi
  for page in newest oldest; do
    url="$BASE/api/chats/$chat/messages?limit=30"
    [[ $page == oldest ]] && url="$url&before=$((oldest + 30))"
    curl -sf "$url" -H "$AUTH" >/dev/null # fail loudly if the page is not served
    wrk -t2 -c8 -d2s -H "$AUTH" "$url" >/dev/null # warm-up, not measured
    out=$(wrk -t2 -c8 -d"$DURATION" --latency -H "$AUTH" "$url")
    p() { awk -v q="$1" '$1==q {print $2}' <<<"$out"; }
    printf '%-8s %-10s %8s %8s %8s %10s\n' "$n" "$page" "$(p 50%)" "$(p 90%)" "$(p 99%)" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  done
done
