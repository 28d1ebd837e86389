# Sourced by the bench scripts: a work folder, Parley (Release, Production) on SQLite or a throwaway PostgreSQL
# cluster, users and chats, the ASP.NET Core template app as the plaintext ceiling, wrk's figures in milliseconds,
# and the median and spread of a measure over rounds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# bench_init sqlite|postgres: WORK, DB, DATABASE_URL (and PG_PORT, sql) set; everything stopped on exit.
bench_init() {
  DB=${1:-sqlite}
  WORK=$(mktemp -d /tmp/parley-bench.XXXXXX)
  chmod 755 "$WORK" # the PostgreSQL server runs as the postgres user
  for tool in wrk sqlite3; do
    command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $tool >/dev/null; }
  done
  trap bench_cleanup EXIT
  if [[ $DB == postgres ]]; then
    PG_PORT=${PG_PORT:-55498}
    DATABASE_URL=$(scripts/test-postgres.sh start "$WORK/pg" "$PG_PORT")
    sql() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qtAX -c "$1"; }
  else
    DATABASE_URL="sqlite:///$WORK/bench.db"
    sql() { sqlite3 -cmd '.timeout 30000' "$WORK/bench.db" "$1"; }
  fi
  export DATABASE_URL
  dotnet build src/Parley -c Release -p:SkipWebBuild=true -nologo -v quiet -clp:ErrorsOnly >"$WORK/build.log" || { cat "$WORK/build.log"; exit 1; }
  dotnet build bench/Plaintext -c Release -nologo -v quiet -clp:ErrorsOnly >>"$WORK/build.log" || { cat "$WORK/build.log"; exit 1; }
}

bench_cleanup() {
  [[ -n ${APP:-} ]] && kill "$APP" 2>/dev/null
  [[ -f $WORK/app.log ]] && cp "$WORK/app.log" "${TMPDIR:-/tmp}/parley-bench-app.log" # Parley's log, for after the run
  [[ -n ${CEILING:-} ]] && kill "$CEILING" 2>/dev/null
  [[ ${DB:-} == postgres ]] && scripts/test-postgres.sh stop "$WORK/pg"
  rm -rf "$WORK"
}

# bench_parley PORT [NAME=value ...]: Parley in Production on DATABASE_URL with the built-in assistant (no word
# delay), quota effectively unlimited, the request log off; waits until ready. Sets APP and BASE.
bench_parley() {
  local port=$1
  shift
  BASE=http://127.0.0.1:$port
  env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$BASE" SECRET_KEY="$(head -c 48 /dev/urandom | base64)" \
    MESSAGE_LIMIT=1000000 Auth__BcryptWorkFactor=4 Auth__AttemptsPerMinutePerIp=100000 Bot__BuiltInWordDelay=00:00:00 \
    Logging__LogLevel__Default=Warning "Logging__LogLevel__Microsoft.AspNetCore.HttpLogging=${REQUEST_LOG_LEVEL:-Warning}" "$@" \
    dotnet src/Parley/bin/Release/net10.0/Parley.dll >"$WORK/app.log" 2>&1 &
  APP=$!
  until curl -sf "$BASE/healthz/ready" >/dev/null; do kill -0 "$APP" 2>/dev/null || { cat "$WORK/app.log"; exit 1; }; sleep 0.2; done
}

# bench_plaintext PORT: the ASP.NET Core template app's plaintext endpoint. Sets CEILING and CEILING_URL.
bench_plaintext() {
  CEILING_URL=http://127.0.0.1:$1/plaintext
  ASPNETCORE_URLS=http://127.0.0.1:$1 Logging__LogLevel__Default=Warning \
    dotnet bench/Plaintext/bin/Release/net10.0/Plaintext.dll >"$WORK/ceiling.log" 2>&1 &
  CEILING=$!
  until curl -sf "$CEILING_URL" >/dev/null; do sleep 0.2; done
}

# bench_user EMAIL: registers a user and prints its access token.
bench_user() {
  curl -sf "$BASE/api/auth/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"a bench of nine mossy oaks\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}

# bench_chat TOKEN: creates a chat and prints its id.
bench_chat() {
  curl -sf "$BASE/api/chats" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d '{}' | sed -E 's/.*"id":([0-9]+).*/\1/'
}

# bench_users N: N users with a chat each, as a Lua table `users` ({ token, chat }) in $WORK/users.lua for wrk.
bench_users() {
  echo "users = {" >"$WORK/users.lua"
  for i in $(seq 1 "$1"); do
    local token
    token=$(bench_user "bench$i@example.com")
    echo "  { token = \"$token\", chat = $(bench_chat "$token") }," >>"$WORK/users.lua"
  done
  echo "}" >>"$WORK/users.lua"
}

# wrk_figures: reads wrk --latency output, prints "req/s p50_ms p99_ms".
wrk_figures() {
  awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
       /Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
       END { printf "%s %.2f %.2f\n", rps, p50, p99 }'
}

# spread VALUES...: prints "median (min-max)".
spread() {
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { printf "%.2f (%.2f-%.2f)", (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR] }'
}
