#!/usr/bin/env bash
# The admin area at scale: 10,000 users and 1,000,000 messages over 90 days (each message a reply event of the
# dashboard and an entry of the usage ledger), with the funnel's events, ratings and 1,200 subscriptions; then the
# dashboard for 7, 30, 90 and 366 days, the users table (first page, a search) and the audit log, each `wrk -c1` for
# DURATION, ROUNDS rounds alternating.
#   bench/admin.sh [sqlite|postgres]
# KEEP=path (SQLite) keeps a copy of the seeded database; REUSE=path starts from such a copy instead of seeding.
# The history is written straight into the database with Parley stopped (with what Parley keeps as events happen:
# each user's last message, the funnel's steps); Parley is then started again, its background job rolls up every
# closed day (timed here), and today's figures are counted live on every request.
source "$(dirname "$0")/lib.sh"
bench_init "${1:-sqlite}"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
USERS=${USERS:-10000}
MESSAGES=${MESSAGES:-1000000}
DAYS=90
ADMIN_SETTINGS=(ADMIN_EMAILS=admin@example.com "MODEL_PRICES=gpt-4o-mini=0.15/0.6, gpt-4o=2.5/10, llama3=0/0")

if [[ -n ${REUSE:-} && $DB == sqlite ]]; then cp "$REUSE" "$WORK/bench.db"; fi
bench_parley 5301 "${ADMIN_SETTINGS[@]}" # creates the schema (or brings a kept one up to date)
[[ -n ${REUSE:-} ]] || bench_user admin@example.com >/dev/null
kill "$APP"; wait "$APP" 2>/dev/null || true

seed_started=$(date +%s)
if [[ -n ${REUSE:-} && $DB == sqlite ]]; then
  :
elif [[ $DB == postgres ]]; then
  sql "INSERT INTO \"Users\" (\"Id\", \"Email\", \"NormalizedEmail\", \"PasswordHash\", \"IsPremium\", \"UsageRevision\", \"CreatedAt\")
         SELECT gen_random_uuid(), 'user' || u || '@example.com', 'user' || u || '@example.com', 'x', false, 0,
                now() - interval '120 days' * (u::float / $USERS) FROM generate_series(1, $USERS - 1) u;
       CREATE TEMP TABLE ids AS SELECT (row_number() OVER (ORDER BY \"Id\"))::int - 1 AS i, \"Id\" AS id FROM \"Users\";
       CREATE UNIQUE INDEX ON ids (i);
       INSERT INTO \"AnalyticsEvents\" (\"Kind\", \"UserId\", \"OccurredAt\", \"Premium\", \"InputTokens\", \"OutputTokens\")
         SELECT 'SignedUp', \"Id\", \"CreatedAt\", false, 0, 0 FROM \"Users\";
       -- Replies: users drawn with a skew (a few write a lot), spread evenly over $DAYS days up to now.
       INSERT INTO \"AnalyticsEvents\" (\"Kind\", \"UserId\", \"OccurredAt\", \"Premium\", \"Model\", \"Outcome\", \"FirstTokenMs\", \"InputTokens\", \"OutputTokens\")
         SELECT 'Reply', ids.id, now() - interval '$DAYS days' * (g.i::float / $MESSAGES), ids.i % 10 = 0,
                CASE WHEN g.r < 700 THEN 'gpt-4o-mini' WHEN g.r < 950 THEN 'gpt-4o' ELSE 'llama3' END,
                CASE WHEN g.r % 100 < 96 THEN 'complete' WHEN g.r % 100 < 98 THEN 'failed' WHEN g.r % 200 < 199 THEN 'stopped' ELSE 'interrupted' END,
                150 + (g.r * 37) % 3000, 200 + (g.r * 7) % 1800, 50 + (g.r * 13) % 750
         FROM (SELECT i, floor(random() * 1000)::int AS r, floor($USERS * random() * random())::int AS u FROM generate_series(1, $MESSAGES) i) g
         JOIN ids ON ids.i = g.u;
       INSERT INTO \"UsageEntries\" (\"Kind\", \"OccurredAt\", \"Tokens\", \"UserId\")
         SELECT 'Message', \"OccurredAt\", 0, \"UserId\" FROM \"AnalyticsEvents\" WHERE \"Kind\" = 'Reply';
       INSERT INTO \"AnalyticsEvents\" (\"Kind\", \"UserId\", \"OccurredAt\", \"Premium\", \"Outcome\", \"Model\", \"InputTokens\", \"OutputTokens\")
         SELECT k.kind, ids.id, now() - interval '$DAYS days' * random(), false, CASE WHEN k.kind = 'Feedback' THEN CASE WHEN random() < 0.8 THEN 'up' ELSE 'down' END END,
                CASE WHEN k.kind = 'Feedback' THEN 'gpt-4o-mini' END, 0, 0
         FROM (SELECT k.kind, floor($USERS * random() * random())::int AS u
               FROM (VALUES ('LimitReached', 50000), ('UpgradeShown', 30000), ('UpgradeDismissed', 20000), ('CheckoutStarted', 4000),
                            ('SubscriptionActive', 1500), ('SubscriptionCancelled', 300), ('SubscriptionPastDue', 80), ('Feedback', 60000)) k(kind, n)
               CROSS JOIN LATERAL generate_series(1, k.n) g) k
         JOIN ids ON ids.i = k.u;
       INSERT INTO \"Subscriptions\" (\"Id\", \"UserId\", \"Status\", \"CancelAtPeriodEnd\", \"UpdatedAt\", \"MonthlyAmount\", \"Currency\")
         SELECT 'sub_' || i, (SELECT id FROM ids WHERE ids.i = s.i * 7), CASE WHEN i <= 1000 THEN 'active' WHEN i <= 1050 THEN 'past_due' ELSE 'canceled' END,
                false, now(), 1000, 'usd' FROM generate_series(1, 1200) s(i);
       UPDATE \"Users\" u SET \"LastMessageAt\" = (SELECT max(e.\"OccurredAt\") FROM \"UsageEntries\" e WHERE e.\"UserId\" = u.\"Id\" AND e.\"Kind\" = 'Message');
       INSERT INTO \"AnalyticsFunnels\" (\"UserId\", \"ReachedAt\") SELECT \"UserId\", min(\"OccurredAt\") FROM \"AnalyticsEvents\" WHERE \"Kind\" = 'LimitReached' GROUP BY \"UserId\";
       UPDATE \"AnalyticsFunnels\" f SET
         \"ShownAt\" = (SELECT min(e.\"OccurredAt\") FROM \"AnalyticsEvents\" e WHERE e.\"Kind\" = 'UpgradeShown' AND e.\"UserId\" = f.\"UserId\" AND e.\"OccurredAt\" >= f.\"ReachedAt\"),
         \"CheckoutAt\" = (SELECT min(e.\"OccurredAt\") FROM \"AnalyticsEvents\" e WHERE e.\"Kind\" = 'CheckoutStarted' AND e.\"UserId\" = f.\"UserId\" AND e.\"OccurredAt\" >= f.\"ReachedAt\"),
         \"PaidAt\" = (SELECT min(e.\"OccurredAt\") FROM \"AnalyticsEvents\" e WHERE e.\"Kind\" = 'SubscriptionActive' AND e.\"UserId\" = f.\"UserId\" AND e.\"OccurredAt\" >= f.\"ReachedAt\");"
  sql 'VACUUM ANALYZE'
else
  sql "CREATE TEMP TABLE n AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $MESSAGES) SELECT i FROM n;
       BEGIN;
       INSERT INTO Users (Id, Email, NormalizedEmail, PasswordHash, IsPremium, UsageRevision, CreatedAt)
         SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-A' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
                'user' || i || '@example.com', 'user' || i || '@example.com', 'x', 0, 0,
                strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (120.0 * i / $USERS) || ' days') FROM n WHERE i < $USERS;
       CREATE TEMP TABLE ids AS SELECT row_number() OVER (ORDER BY Id) - 1 AS i, Id AS id FROM Users;
       CREATE UNIQUE INDEX temp.ids_i ON ids (i);
       INSERT INTO AnalyticsEvents (Kind, UserId, OccurredAt, Premium, InputTokens, OutputTokens) SELECT 'SignedUp', Id, CreatedAt, 0, 0, 0 FROM Users;
       -- The draws are kept in tables first: SQLite would evaluate random() in a join condition once per pair tried.
       CREATE TEMP TABLE draws AS SELECT i, abs(random()) % 1000 AS r,
              CAST($USERS * ((abs(random()) % 1000000) / 1e6) * ((abs(random()) % 1000000) / 1e6) AS INTEGER) AS u FROM n;
       INSERT INTO AnalyticsEvents (Kind, UserId, OccurredAt, Premium, Model, Outcome, FirstTokenMs, InputTokens, OutputTokens)
         SELECT 'Reply', ids.id, strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || ($DAYS.0 * g.i / $MESSAGES) || ' days'), ids.i % 10 = 0,
                CASE WHEN g.r < 700 THEN 'gpt-4o-mini' WHEN g.r < 950 THEN 'gpt-4o' ELSE 'llama3' END,
                CASE WHEN g.r % 100 < 96 THEN 'complete' WHEN g.r % 100 < 98 THEN 'failed' WHEN g.r % 200 < 199 THEN 'stopped' ELSE 'interrupted' END,
                150 + (g.r * 37) % 3000, 200 + (g.r * 7) % 1800, 50 + (g.r * 13) % 750
         FROM draws g JOIN ids ON ids.i = g.u;
       INSERT INTO UsageEntries (Kind, OccurredAt, Tokens, UserId) SELECT 'Message', OccurredAt, 0, UserId FROM AnalyticsEvents WHERE Kind = 'Reply';
       CREATE TEMP TABLE others AS
         SELECT k.kind, CAST($USERS * ((abs(random()) % 1000000) / 1e6) * ((abs(random()) % 1000000) / 1e6) AS INTEGER) AS u
         FROM (SELECT 'LimitReached' AS kind, 50000 AS c UNION ALL SELECT 'UpgradeShown', 30000 UNION ALL SELECT 'UpgradeDismissed', 20000
               UNION ALL SELECT 'CheckoutStarted', 4000 UNION ALL SELECT 'SubscriptionActive', 1500 UNION ALL SELECT 'SubscriptionCancelled', 300
               UNION ALL SELECT 'SubscriptionPastDue', 80 UNION ALL SELECT 'Feedback', 60000) k
         JOIN n ON n.i <= k.c;
       INSERT INTO AnalyticsEvents (Kind, UserId, OccurredAt, Premium, Outcome, Model, InputTokens, OutputTokens)
         SELECT k.kind, ids.id, strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || ($DAYS.0 * (abs(random()) % 1000000) / 1e6) || ' days'), 0,
                CASE WHEN k.kind = 'Feedback' THEN CASE WHEN abs(random()) % 10 < 8 THEN 'up' ELSE 'down' END END,
                CASE WHEN k.kind = 'Feedback' THEN 'gpt-4o-mini' END, 0, 0
         FROM others k JOIN ids ON ids.i = k.u;
       INSERT INTO Subscriptions (Id, UserId, Status, CancelAtPeriodEnd, UpdatedAt, MonthlyAmount, Currency)
         SELECT 'sub_' || n.i, (SELECT id FROM ids WHERE ids.i = n.i * 7),
                CASE WHEN n.i <= 1000 THEN 'active' WHEN n.i <= 1050 THEN 'past_due' ELSE 'canceled' END,
                0, strftime('%Y-%m-%d %H:%M:%f', 'now'), 1000, 'usd' FROM n WHERE n.i <= 1200;
       -- What Parley keeps as they happen: each user's last message, and the funnel's steps after the first limit hit.
       UPDATE Users SET LastMessageAt = (SELECT max(e.OccurredAt) FROM UsageEntries e WHERE e.UserId = Users.Id AND e.Kind = 'Message');
       INSERT INTO AnalyticsFunnels (UserId, ReachedAt) SELECT UserId, min(OccurredAt) FROM AnalyticsEvents WHERE Kind = 'LimitReached' GROUP BY UserId;
       UPDATE AnalyticsFunnels SET ShownAt = (SELECT min(e.OccurredAt) FROM AnalyticsEvents e WHERE e.Kind = 'UpgradeShown' AND e.UserId = AnalyticsFunnels.UserId AND e.OccurredAt >= AnalyticsFunnels.ReachedAt);
       UPDATE AnalyticsFunnels SET CheckoutAt = (SELECT min(e.OccurredAt) FROM AnalyticsEvents e WHERE e.Kind = 'CheckoutStarted' AND e.UserId = AnalyticsFunnels.UserId AND e.OccurredAt >= AnalyticsFunnels.ReachedAt);
       UPDATE AnalyticsFunnels SET PaidAt = (SELECT min(e.OccurredAt) FROM AnalyticsEvents e WHERE e.Kind = 'SubscriptionActive' AND e.UserId = AnalyticsFunnels.UserId AND e.OccurredAt >= AnalyticsFunnels.ReachedAt);
       COMMIT;
       ANALYZE;"
fi
if [[ $DB == postgres ]]; then q='"'; else q=''; fi
echo "seeded $(sql "SELECT count(*) FROM ${q}Users${q}") users, $(sql "SELECT count(*) FROM ${q}AnalyticsEvents${q} WHERE ${q}Kind${q} = 'Reply'") messages, $(sql "SELECT count(*) FROM ${q}AnalyticsEvents${q}") events in $(( $(date +%s) - seed_started )) s"

if [[ -n ${KEEP:-} && $DB == sqlite ]]; then cp "$WORK/bench.db" "$KEEP"; echo "kept in $KEEP"; fi

# Started again: the roll-up job rolls up every closed day, 5 s after the start.
rolled_started=$(date +%s)
bench_parley 5301 "${ADMIN_SETTINGS[@]}"
previous=-1
while true; do
  sleep 2
  rolled=$(sql "SELECT count(*) FROM ${q}AnalyticsRolledUpDays${q}")
  [[ $rolled -gt 100 && $rolled == "$previous" ]] && break
  previous=$rolled
done
echo "rolled up $rolled days in about $(( $(date +%s) - rolled_started - 7 )) s (after the job's 5 s start delay)"

TOKEN=$(curl -sf "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"admin@example.com","password":"a bench of nine mossy oaks"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
cat >"$WORK/get.lua" <<'LUA'
local token, path = os.getenv("TOKEN"), os.getenv("URL_PATH")
request = function() return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token }) end
response = function(status) if status ~= 200 then io.stderr:write("status " .. status .. "\n") end end
done = function(summary, latency)
  io.write(string.format("FIGURES %.1f %.2f %.2f %.2f\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
LUA
measure() { TOKEN=$TOKEN URL_PATH=$1 wrk -t1 -c1 -d"$DURATION" -s "$WORK/get.lua" "$BASE" | awk '/^FIGURES/ { print $2, $3, $4, $5 }'; }
declare -A paths=([dash7]='/api/admin/dashboard?days=7' [dash30]='/api/admin/dashboard?days=30' [dash90]='/api/admin/dashboard?days=90'
                  [dash366]='/api/admin/dashboard?days=366' [users]='/api/admin/users' [search]='/api/admin/users?q=user12' [audit]='/api/admin/audit')
order=(dash7 dash30 dash90 dash366 users search audit)
curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/api/admin/dashboard?days=30" -o "$WORK/dashboard.json"
head -c 600 "$WORK/dashboard.json"; echo
for p in "${order[@]}"; do measure "${paths[$p]}" >/dev/null; done # warm-up
printf '%-6s %-8s %10s %9s %9s %9s\n' round request req/s p50_ms p95_ms p99_ms
declare -A p95s
for r in $(seq 1 "$ROUNDS"); do
  for p in "${order[@]}"; do
    read -r rps p50 p95 p99 <<<"$(measure "${paths[$p]}")"
    p95s[$p]="${p95s[$p]:-} $p95"
    printf '%-6s %-8s %10s %9s %9s %9s\n' "$r" "$p" "$rps" "$p50" "$p95" "$p99"
  done
done
for p in "${order[@]}"; do
  # shellcheck disable=SC2086
  echo "$p: p95 $(spread ${p95s[$p]}) ms"
done
