#!/usr/bin/env bash
# Sends per second and their latency, against the same run's ceiling, in alternating rounds.
#   bench/send.sh [sqlite|postgres]
# 64 users with effectively unlimited quota, each with a chat; `wrk -t2 -c64` on POST /api/chats/{id}/messages
# (the built-in assistant, no word delay). Ceiling: the ASP.NET Core template app's plaintext endpoint on SQLite;
# pgbench's conditional single-row UPDATE (-c8) on the same PostgreSQL cluster. ROUNDS rounds of DURATION each.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-sqlite}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
USERS=${USERS:-64}
CONNECTIONS=${CONNECTIONS:-64}
PORT=5298
CEILING_PORT=5297
WORK=$(mktemp -d /tmp/parley-bench.XXXXXX)
chmod 755 "$WORK"
BASE=http://127.0.0.1:$PORT

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cleanup() {
  [[ -n ${APP:-} ]] && kill "$APP" 2>/dev/null
  [[ -n ${CEILING:-} ]] && kill "$CEILING" 2>/dev/null
  [[ $DB == postgres ]] && scripts/test-postgres.sh stop "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ $DB == postgres ]]; then
  PG_PORT=55498
  export DATABASE_URL=$(scripts/test-postgres.sh start "$WORK/pg" $PG_PORT)
  psql -h 127.0.0.1 -p $PG_PORT -U postgres -qc "CREATE TABLE ceiling (id int PRIMARY KEY, n bigint NOT NULL);
    INSERT INTO ceiling SELECT i, 0 FROM generate_series(1, $USERS) i;"
  echo "\\set id random(1, $USERS)
UPDATE ceiling SET n = n + 1 WHERE id = :id AND n < 1000000000000;" >"$WORK/ceiling.sql"
else
  export DATABASE_URL="sqlite:///$WORK/bench.db"
fi

dotnet build src/Parley -c Release -p:SkipWebBuild=true -nologo -v quiet -clp:ErrorsOnly >"$WORK/build.log" || { cat "$WORK/build.log"; exit 1; }
dotnet build bench/Plaintext -c Release -nologo -v quiet -clp:ErrorsOnly >>"$WORK/build.log" || { cat "$WORK/build.log"; exit 1; }
ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=$BASE SECRET_KEY=$(head -c 48 /dev/urandom | base64) \
  MESSAGE_LIMIT=1000000 Auth__BcryptWorkFactor=4 Auth__AttemptsPerMinutePerIp=100000 Bot__BuiltInWordDelay=00:00:00 \
  Logging__LogLevel__Default=Warning env "Logging__LogLevel__Microsoft.AspNetCore.HttpLogging=${REQUEST_LOG_LEVEL:-Information}" \
  dotnet src/Parley/bin/Release/net10.0/Parley.dll >"$WORK/app.log" 2>&1 &
APP=$!
if [[ $DB == sqlite ]]; then
  ASPNETCORE_URLS=http://127.0.0.1:$CEILING_PORT Logging__LogLevel__Default=Warning \
    dotnet bench/Plaintext/bin/Release/net10.0/Plaintext.dll >"$WORK/ceiling.log" 2>&1 &
  CEILING=$!
  until curl -sf "http://127.0.0.1:$CEILING_PORT/plaintext" >/dev/null; do sleep 0.2; done
fi
until curl -sf "$BASE/healthz/ready" >/dev/null; do kill -0 "$APP" 2>/dev/null || { cat "$WORK/app.log"; exit 1; }; sleep 0.2; done

# Users and chats, written for wrk's Lua.
echo "users = {" >"$WORK/users.lua"
for i in $(seq 1 "$USERS"); do
  token=$(curl -sf "$BASE/api/auth/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench$i@example.com\",\"password\":\"a bench of nine mossy oaks\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  chat=$(curl -sf "$BASE/api/chats" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{}' | sed -E 's/.*"id":([0-9]+).*/\1/')
  echo "  { token = \"$token\", chat = $chat }," >>"$WORK/users.lua"
done
echo "}" >>"$WORK/users.lua"
cat >"$WORK/send.lua" <<LUA
dofile("$WORK/users.lua")
local n = 0
request = function()
  n = n + 1
  local u = users[(n % #users) + 1]
  return wrk.format("POST", "/api/chats/" .. u.chat .. "/messages",
    { ["Authorization"] = "Bearer " .. u.token, ["Content-Type"] = "application/json" }, '{"content":"what is 2 + 2"}')
end
response = function(status) if status ~= 200 then io.stderr:write("status " .. status .. "\\n") end end
LUA

send_round() { # prints req/s p50 p99
  local out
  out=$(wrk -t"$((CONNECTIONS < 2 ? 1 : 2))" -c"$CONNECTIONS" -d"$1" --latency -s "$WORK/send.lua" "$BASE" 2>"$WORK/wrk.err")
  if [[ -s $WORK/wrk.err ]]; then sort "$WORK/wrk.err" | uniq -c >&2; fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="50%" {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out")"
}
ceiling_round() { # prints ops/s
  if [[ -n ${NO_CEILING:-} ]]; then echo 1; return; fi # profiling Parley alone
  if [[ $DB == sqlite ]]; then
    wrk -t2 -c64 -d"$1" "http://127.0.0.1:$CEILING_PORT/plaintext" | awk '/Requests\/sec/ {print $2}'
  else
    pgbench -h 127.0.0.1 -p $PG_PORT -U postgres -n -c8 -j2 -T "${1%s}" -f "$WORK/ceiling.sql" postgres 2>/dev/null | awk '/^tps/ {print $3}'
  fi
}

send_round 5s >/dev/null # warm-up: JIT, pools
ceiling_round 5s >/dev/null
printf '%-6s %12s %12s %10s %10s %8s\n' round ceiling sends/s p50 p99 ratio
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  c=$(ceiling_round "$DURATION")
  read -r s p50 p99 <<<"$(send_round "$DURATION")"
  ratio=$(awk -v s="$s" -v c="$c" 'BEGIN { printf "%.2f%%", 100 * s / c }')
  ratios+=("${ratio%\%}")
  printf '%-6s %12s %12s %10s %10s %8s\n' "$r" "$c" "$s" "$p50" "$p99" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {printf "ratio: median %.2f%%, spread %.2f-%.2f%%\n", a[int((NR+1)/2)], a[1], a[NR]}'
