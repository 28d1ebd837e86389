#!/usr/bin/env bash
# Sends per second and their latency, against the same run's ceiling, in alternating rounds.
#   bench/send.sh [sqlite|postgres]
# 64 users with effectively unlimited quota, each with a chat; `wrk -t2 -c64` on POST /api/chats/{id}/messages
# (the built-in assistant, no word delay). Ceiling: the ASP.NET Core template app's plaintext endpoint on SQLite;
# pgbench's conditional single-row UPDATE (-c8) on the same PostgreSQL cluster. ROUNDS rounds of DURATION each,
# after WARMUP. CONNECTIONS=1: one sender. NO_CEILING=1: Parley alone (for profiling).
source "$(dirname "$0")/lib.sh"
bench_init "${1:-sqlite}"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
USERS=${USERS:-64}
CONNECTIONS=${CONNECTIONS:-64}

if [[ $DB == postgres ]]; then
  sql "CREATE TABLE ceiling (id int PRIMARY KEY, n bigint NOT NULL); INSERT INTO ceiling SELECT i, 0 FROM generate_series(1, $USERS) i;"
  echo "\\set id random(1, $USERS)
UPDATE ceiling SET n = n + 1 WHERE id = :id AND n < 1000000000000;" >"$WORK/ceiling.sql"
else
  bench_plaintext 5297
fi
bench_parley 5298

bench_users "$USERS"
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
  wrk -t"$((CONNECTIONS < 2 ? 1 : 2))" -c"$CONNECTIONS" -d"$1" --latency -s "$WORK/send.lua" "$BASE" 2>"$WORK/wrk.err" | wrk_figures
  if [[ -s $WORK/wrk.err ]]; then sort "$WORK/wrk.err" | uniq -c >&2; fi
}
ceiling_round() { # prints ops/s
  if [[ -n ${NO_CEILING:-} ]]; then echo 1; return; fi
  if [[ $DB == sqlite ]]; then
    wrk -t2 -c64 -d"$1" "$CEILING_URL" | awk '/Requests\/sec/ {print $2}'
  else
    pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c8 -j2 -T "${1%s}" -f "$WORK/ceiling.sql" postgres 2>/dev/null | awk '/^tps/ {print $3}'
  fi
}

# Warm-up: tiered JIT settles (tier-1 and PGO recompiles go on for tens of seconds under load), pools fill.
send_round "${WARMUP:-30s}" >/dev/null
ceiling_round 5s >/dev/null
printf '%-6s %12s %12s %10s %10s %8s\n' round ceiling sends/s p50_ms p99_ms ratio%
ratios=() p99s=()
for r in $(seq 1 "$ROUNDS"); do
  c=$(ceiling_round "$DURATION")
  read -r s p50 p99 <<<"$(send_round "$DURATION")"
  ratio=$(awk -v s="$s" -v c="$c" 'BEGIN { printf "%.2f", 100 * s / c }')
  ratios+=("$ratio") p99s+=("$p99")
  printf '%-6s %12s %12s %10s %10s %8s\n' "$r" "$c" "$s" "$p50" "$p99" "$ratio"
done
echo "ratio %: $(spread "${ratios[@]}")   p99 ms: $(spread "${p99s[@]}")"
