#!/usr/bin/env bash
# Resident memory of one instance under DURATION (default 10m) of mixed load: sends by 32 users (each also reading
# its chat's newest page, its usage and its chat list), `wrk -t2 -c16`. RSS is sampled every 15 s.
#   bench/memory.sh [sqlite|postgres]
# Prints the samples, the first and last minute's means and the peak; the target is <= 250 MB and flat.
source "$(dirname "$0")/lib.sh"
bench_init "${1:-sqlite}"
DURATION=${DURATION:-10m}
USERS=32
bench_parley 5298
bench_users "$USERS"
cat >"$WORK/mixed.lua" <<LUA
dofile("$WORK/users.lua")
local n = 0
request = function()
  n = n + 1
  local u = users[(n % #users) + 1]
  local auth = { ["Authorization"] = "Bearer " .. u.token, ["Content-Type"] = "application/json" }
  local kind = n % 4
  if kind == 0 then return wrk.format("POST", "/api/chats/" .. u.chat .. "/messages", auth, '{"content":"tell me something about memory"}') end
  if kind == 1 then return wrk.format("GET", "/api/chats/" .. u.chat .. "/messages?limit=30", auth) end
  if kind == 2 then return wrk.format("GET", "/api/usage", auth) end
  return wrk.format("GET", "/api/chats", auth)
end
response = function(status) if status ~= 200 then io.stderr:write("status " .. status .. "\\n") end end
LUA
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$APP/status"; }
echo "at start (idle): $(rss) MB"
wrk -t2 -c16 -d"$DURATION" -s "$WORK/mixed.lua" "$BASE" >"$WORK/wrk.out" 2>"$WORK/wrk.err" &
LOAD=$!
samples=()
while kill -0 "$LOAD" 2>/dev/null; do
  sleep 15
  kill -0 "$LOAD" 2>/dev/null || break
  samples+=("$(rss)")
  printf '%s s: %s MB\n' "$((${#samples[@]} * 15))" "${samples[-1]}"
done
grep -E "Requests/sec|requests in" "$WORK/wrk.out"
if [[ -s $WORK/wrk.err ]]; then sort "$WORK/wrk.err" | uniq -c; fi
printf '%s\n' "${samples[@]}" | awk '{ a[NR] = $1; if ($1 > peak) peak = $1 }
  END { for (i = 1; i <= 4 && i <= NR; i++) f += a[i]; for (i = NR - 3; i <= NR; i++) if (i > 0) l += a[i];
        m = (NR < 4 ? NR : 4); printf "RSS: first minute %.1f MB, last minute %.1f MB, peak %.1f MB\n", f / m, l / m, peak }'
