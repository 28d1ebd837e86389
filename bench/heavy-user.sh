#!/usr/bin/env bash
# A send by a user with 10,000 messages in the usage window, into a 10,000-message chat, against a new user's first
# sends in a new chat, in alternating rounds (`wrk -c1`, DURATION each; a new user for every round).
#   bench/heavy-user.sh [sqlite|postgres]
# The heavy user's history is written straight into the database (10,000 chat messages in one branch; 10,000
# message and 10,000 token entries in the ledger over the last 20 hours, with no usage counter yet, as the
# migration leaves it), then it sends through the API like anyone else.
source "$(dirname "$0")/lib.sh"
bench_init "${1:-sqlite}"
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5s}
N=10000
bench_parley 5298
HEAVY=$(bench_user heavy@example.com)
HEAVY_CHAT=$(bench_chat "$HEAVY")
if [[ $DB == postgres ]]; then
  sql "INSERT INTO \"Messages\" (\"Id\",\"ChatId\",\"ParentId\",\"Role\",\"Content\",\"Status\",\"CreatedAt\")
         SELECT b + i, $HEAVY_CHAT, CASE WHEN i = 1 THEN NULL ELSE b + i - 1 END, CASE i % 2 WHEN 1 THEN 'User' ELSE 'Assistant' END,
                'message ' || i || ' of a long chat', 'Complete', now() - interval '20 hours' + i * interval '7 seconds'
         FROM generate_series(1, $N) i, (SELECT coalesce(max(\"Id\"), 0) + 1000 AS b FROM \"Messages\") base;
       SELECT setval(pg_get_serial_sequence('\"Messages\"', 'Id'), (SELECT max(\"Id\") FROM \"Messages\"));
       UPDATE \"Chats\" SET \"ActiveLeafId\" = (SELECT max(\"Id\") FROM \"Messages\" WHERE \"ChatId\" = $HEAVY_CHAT), \"HasTitle\" = true WHERE \"Id\" = $HEAVY_CHAT;
       INSERT INTO \"UsageEntries\" (\"UserId\",\"Kind\",\"OccurredAt\",\"MessageId\",\"Tokens\")
         SELECT u.\"Id\", k.kind, now() - interval '20 hours' + i * interval '7 seconds', i, CASE k.kind WHEN 'Tokens' THEN 30 ELSE 0 END
         FROM generate_series(1, $N) i, (VALUES ('Message'), ('Tokens')) k(kind), \"Users\" u WHERE u.\"NormalizedEmail\" = 'heavy@example.com';
       ANALYZE;"
else
  sql "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $N), base(b) AS (SELECT coalesce(max(Id), 0) + 1000 FROM Messages)
       INSERT INTO Messages (Id, ChatId, ParentId, Role, Content, Status, CreatedAt)
         SELECT b + i, $HEAVY_CHAT, CASE WHEN i = 1 THEN NULL ELSE b + i - 1 END, CASE i % 2 WHEN 1 THEN 'User' ELSE 'Assistant' END,
                'message ' || i || ' of a long chat', 'Complete', strftime('%Y-%m-%d %H:%M:%f', 'now', '-72000 seconds', '+' || (i * 7) || ' seconds')
         FROM s, base;
       UPDATE Chats SET ActiveLeafId = (SELECT max(Id) FROM Messages WHERE ChatId = $HEAVY_CHAT), HasTitle = 1 WHERE Id = $HEAVY_CHAT;
       WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $N)
       INSERT INTO UsageEntries (UserId, Kind, OccurredAt, MessageId, Tokens)
         SELECT u.Id, k.kind, strftime('%Y-%m-%d %H:%M:%f', 'now', '-72000 seconds', '+' || (i * 7) || ' seconds'), i, CASE k.kind WHEN 'Tokens' THEN 30 ELSE 0 END
         FROM s, (SELECT 'Message' AS kind UNION ALL SELECT 'Tokens') k, Users u WHERE u.NormalizedEmail = 'heavy@example.com';
       ANALYZE;"
fi
used=$(curl -sf "$BASE/api/usage" -H "Authorization: Bearer $HEAVY" | sed -E 's/.*"used":([0-9]+).*/\1/')
[[ $used -ge $N ]] || { echo "the heavy user's usage shows $used messages, not $N" >&2; exit 1; }

cat >"$WORK/send.lua" <<'LUA'
local token, chat = os.getenv("TOKEN"), os.getenv("CHAT")
request = function()
  return wrk.format("POST", "/api/chats/" .. chat .. "/messages",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, '{"content":"what is 2 + 2"}')
end
response = function(status) if status ~= 200 then io.stderr:write("status " .. status .. "\n") end end
LUA
sends() { TOKEN=$1 CHAT=$2 wrk -t1 -c1 -d"$3" --latency -s "$WORK/send.lua" "$BASE" | wrk_figures; }
new_user() { local t; t=$(bench_user "new$1@example.com"); echo "$t $(bench_chat "$t")"; }

read -r t c <<<"$(new_user warmup)"
sends "$t" "$c" "${WARMUP:-20s}" >/dev/null
sends "$HEAVY" "$HEAVY_CHAT" 5s >/dev/null
printf '%-6s %12s %10s %10s %12s %10s %10s %8s\n' round new_req/s new_p50 new_p99 heavy_req/s heavy_p50 heavy_p99 heavy/new
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  read -r t c <<<"$(new_user "$r")"
  read -r ns n50 n99 <<<"$(sends "$t" "$c" "$DURATION")"
  read -r hs h50 h99 <<<"$(sends "$HEAVY" "$HEAVY_CHAT" "$DURATION")"
  ratio=$(awk -v n="$ns" -v h="$hs" 'BEGIN { printf "%.3f", h / n }')
  ratios+=("$ratio")
  printf '%-6s %12s %10s %10s %12s %10s %10s %8s\n' "$r" "$ns" "$n50" "$n99" "$hs" "$h50" "$h99" "$ratio"
done
echo "heavy/new sends per second: $(spread "${ratios[@]}")"
