#!/usr/bin/env bash
# Sends per second and their latency, against the same run's ceiling, in alternating rounds.
#   bench/send.sh [sqlite|postgres]
# 64 users with effectively unlimited quota, each with a chat; `wrk -t2 -c64` on POST /api/chats/{id}/messages
# (the built-in assistant, no word delay). Ceiling: the ASP.NET Core template app's plaintext endpoint on SQLite;
# pgbench's conditional single-row UPDATE (-c8) on the same PostgreSQL cluster. ROUNDS rounds of DURATION each,
# after WARMUP. CONNECTIONS=1: one sender. NO_CEILING=1: Parley alone (for profiling). OWN_USERS=1: each wrk thread
# sends for its own half of the users. WAITS=1 (postgres): what the server's backends wait on in the last round.
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
THREADS=$((CONNECTIONS < 2 ? 1 : 2))
cat >"$WORK/send.lua" <<LUA
dofile("$WORK/users.lua")
-- Each wrk thread goes round all users; OWN_USERS=1: each thread has its own share of them, so a user has about
-- one send in flight, as a person does (two threads otherwise often send as one user at once, and those sends
-- queue on the user's row lock by design).
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
local own, n = ${OWN_USERS:-0} == 1, 0
request = function()
  n = n + 1
  local u
  if own then
    local per = math.floor(#users / $THREADS)
    u = users[tid * per + (n % per) + 1]
  else
    u = users[(n % #users) + 1]
  end
  return wrk.format("POST", "/api/chats/" .. u.chat .. "/messages",
    { ["Authorization"] = "Bearer " .. u.token, ["Content-Type"] = "application/json" }, '{"content":"what is 2 + 2"}')
end
response = function(status) if status ~= 200 then io.stderr:write("status " .. status .. "\\n") end end
LUA

send_round() { # prints req/s p50 p99
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency -s "$WORK/send.lua" "$BASE" 2>"$WORK/wrk.err" | wrk_figures
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
  if [[ $DB == postgres && -n ${WAITS:-} && $r == "$ROUNDS" ]]; then
    # What PostgreSQL's client backends are doing, sampled every 100 ms in the last round (a profile of the server).
    (for _ in $(seq 1 $((${DURATION%s} * 5))); do
      sql "SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-') || ' (' || state || ')' ||
                  CASE WHEN wait_event_type = 'Lock' THEN ' ' || regexp_replace(left(query, 60), '\s+', ' ', 'g') ELSE '' END
           FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'"
      sleep 0.1
    done) >"$WORK/waits.txt" &
    SAMPLER=$!
  fi
  read -r s p50 p99 <<<"$(send_round "$DURATION")"
  ratio=$(awk -v s="$s" -v c="$c" 'BEGIN { printf "%.2f", 100 * s / c }')
  ratios+=("$ratio") p99s+=("$p99")
  printf '%-6s %12s %12s %10s %10s %8s\n' "$r" "$c" "$s" "$p50" "$p99" "$ratio"
done
echo "ratio %: $(spread "${ratios[@]}")   p99 ms: $(spread "${p99s[@]}")"
if [[ -n ${SAMPLER:-} ]]; then
  wait "$SAMPLER"
  echo "PostgreSQL client backends not idle, by wait (samples every 100 ms in the last round; divide by the sample count for the average number):"
  sort "$WORK/waits.txt" | uniq -c | sort -rn | head -12
  echo "deadlocks: $(sql "SELECT deadlocks FROM pg_stat_database WHERE datname = 'postgres'")"
fi
