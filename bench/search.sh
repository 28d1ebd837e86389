#!/usr/bin/env bash
# Search at scale: one database with 1,000,000 messages across 1,000 users, one of whom has 100,000 messages in 500
# chats; that user's searches for a common word, a rare word and a prefix (`wrk -c1`, DURATION each, rounds
# alternating), then a new user's sends with the search index kept in step and with it switched off (triggers
# dropped or disabled), alternating.
#   bench/search.sh [sqlite|postgres]
# The history is written straight into the database; its text is drawn from a 2,000-word vocabulary with a skewed
# (Zipf-like) frequency, so some words are in a large share of messages and others in a handful.
# KEEP=path (SQLite) keeps a copy of the seeded database; REUSE=path starts from such a copy instead of seeding.
source "$(dirname "$0")/lib.sh"
bench_init "${1:-sqlite}"
command -v jq >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5s}
USERS=${USERS:-1000}
OTHERS_EACH=${OTHERS_EACH:-900}   # 999 users × 900 = 899,100 messages
HEAVY_CHATS=${HEAVY_CHATS:-500}
HEAVY_EACH=200                    # 500 chats × 200 = 100,000 messages
if [[ -n ${REUSE:-} && $DB == sqlite ]]; then cp "$REUSE" "$WORK/bench.db"; fi
bench_parley 5299
if [[ -n ${REUSE:-} && $DB == sqlite ]]; then
  HEAVY=$(curl -sf "$BASE/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"heavy@example.com","password":"a bench of nine mossy oaks"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
else
  HEAVY=$(bench_user heavy@example.com)
fi

seed_started=$(date +%s)
if [[ -n ${REUSE:-} && $DB == sqlite ]]; then
  word() { sql "SELECT w FROM words WHERE i = $1"; }
  count=$(sql 'SELECT count(*) FROM Messages')
elif [[ $DB == postgres ]]; then
  # The index is built once after the rows, as a restore would, rather than grown one row at a time.
  sql 'DROP INDEX "IX_Messages_SearchVector"'
  sql "CREATE TABLE words (i int PRIMARY KEY, w text);
       INSERT INTO words SELECT i, (ARRAY['ka','lo','mi','ne','su','ra','ti','vo','pe','da','zu','ho','fi','be','go','ly'])[1 + i % 16]
                                  || (ARRAY['ran','mel','tos','vik','dur','pal','sen','gor','lim','bax'])[1 + (i / 16) % 10]
                                  || (ARRAY['a','e','o','is','un','et','ar','ix','om','el','us','an','or'])[1 + (i / 160) % 13]
         FROM generate_series(0, 1999) i;
       CREATE TABLE sentences (i int PRIMARY KEY, s text);
       INSERT INTO sentences SELECT d.n, string_agg(w.w, ' ' ORDER BY d.k)
         FROM (SELECT n, k, floor(2000 * random() * random() * random())::int AS idx
               FROM generate_series(0, 9999) n, generate_series(1, 12) k) d
         JOIN words w ON w.i = d.idx GROUP BY d.n;
       INSERT INTO \"Users\" (\"Id\", \"Email\", \"NormalizedEmail\", \"PasswordHash\", \"IsPremium\", \"UsageRevision\", \"CreatedAt\")
         SELECT gen_random_uuid(), 'other' || u || '@example.com', 'other' || u || '@example.com', 'x', false, 0, now() FROM generate_series(2, $USERS) u;
       INSERT INTO \"Chats\" (\"UserId\", \"Title\", \"HasTitle\", \"CreatedAt\", \"UpdatedAt\")
         SELECT u.\"Id\", s.s, true, now(), now() FROM \"Users\" u
         CROSS JOIN generate_series(1, CASE WHEN u.\"NormalizedEmail\" = 'heavy@example.com' THEN $HEAVY_CHATS ELSE $OTHERS_EACH / 100 END) c
         JOIN sentences s ON s.i = (c * 31 + length(u.\"Email\")) % 10000;
       INSERT INTO \"Messages\" (\"ChatId\", \"ParentId\", \"Role\", \"Content\", \"Status\", \"CreatedAt\")
         SELECT c.\"Id\", NULL, CASE g.i % 2 WHEN 1 THEN 'User' ELSE 'Assistant' END,
                a.s || ' ' || b.s, 'Complete', now() - interval '30 days' + g.i * interval '1 minute'
         FROM \"Chats\" c JOIN \"Users\" u ON u.\"Id\" = c.\"UserId\"
         CROSS JOIN LATERAL generate_series(1, CASE WHEN u.\"NormalizedEmail\" = 'heavy@example.com' THEN $HEAVY_EACH ELSE 100 END) g(i)
         JOIN sentences a ON a.i = (c.\"Id\" * 7919 + g.i::bigint * 104729) % 10000
         JOIN sentences b ON b.i = (c.\"Id\" * 15485863 + g.i::bigint * 32452843) % 10000;"
  sql 'CREATE INDEX "IX_Messages_SearchVector" ON "Messages" USING GIN ("SearchVector") WITH (fastupdate = off)'
  sql 'VACUUM ANALYZE' 
  count=$(sql 'SELECT count(*) FROM "Messages"')
  word() { sql "SELECT w FROM words WHERE i = $1"; }
else
  sql "CREATE TABLE words (i INTEGER PRIMARY KEY, w TEXT);
       WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
       INSERT INTO words SELECT i, substr('kalominesuratovopedazuhofibegoly', 1 + 2 * (i % 16), 2)
                                  || substr('ranmeltosvikdurpalsengorlimbax', 1 + 3 * ((i / 16) % 10), 3)
                                  || trim(substr('a e o isunetarixomelusanor', 1 + 2 * ((i / 160) % 13), 2))
         FROM n;
       CREATE TABLE sentences (i INTEGER PRIMARY KEY, s TEXT);
       WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9999),
            k(n, j, w) AS (SELECT i, 0, '' FROM n UNION ALL
                           SELECT n, j + 1, w || ' ' || (SELECT w FROM words WHERE i = k.j * 0 + CAST(2000 * ((abs(random()) % 1000000) / 1e6) * ((abs(random()) % 1000000) / 1e6) * ((abs(random()) % 1000000) / 1e6) AS INTEGER))
                           FROM k WHERE j < 12)
       INSERT INTO sentences SELECT n, trim(w) FROM k WHERE j = 12;
       WITH RECURSIVE u(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM u WHERE i < $USERS)
       INSERT INTO Users (Id, Email, NormalizedEmail, PasswordHash, IsPremium, UsageRevision, CreatedAt)
         SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-A' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
                'other' || i || '@example.com', 'other' || i || '@example.com', 'x', 0, 0, strftime('%Y-%m-%d %H:%M:%f', 'now') FROM u;
       WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $HEAVY_CHATS)
       INSERT INTO Chats (UserId, Title, HasTitle, CreatedAt, UpdatedAt)
         SELECT u.Id, s.s, 1, strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')
         FROM Users u JOIN c ON c.n <= CASE WHEN u.NormalizedEmail = 'heavy@example.com' THEN $HEAVY_CHATS ELSE $OTHERS_EACH / 100 END
         JOIN sentences s ON s.i = (c.n * 31 + length(u.Email)) % 10000;
       BEGIN;
       WITH RECURSIVE m(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM m WHERE i < $HEAVY_EACH)
       INSERT INTO Messages (ChatId, ParentId, Role, Content, Status, CreatedAt)
         SELECT c.Id, NULL, CASE m.i % 2 WHEN 1 THEN 'User' ELSE 'Assistant' END, a.s || ' ' || b.s, 'Complete',
                strftime('%Y-%m-%d %H:%M:%f', 'now', '-30 days', '+' || m.i || ' minutes')
         FROM Chats c JOIN Users u ON u.Id = c.UserId
         JOIN m ON m.i <= CASE WHEN u.NormalizedEmail = 'heavy@example.com' THEN $HEAVY_EACH ELSE 100 END
         JOIN sentences a ON a.i = (c.Id * 7919 + m.i * 104729) % 10000
         JOIN sentences b ON b.i = (c.Id * 15485863 + m.i * 32452843) % 10000;
       -- The search triggers listed every message for Parley to fold into FTS5 (SqliteSearchIndex); folded here in
       -- the same transaction, as one batch.
       INSERT INTO MessageSearch (rowid, Owner, Content)
         SELECT m.Id, 'u' || replace(lower(c.UserId), '-', ''), m.Content
         FROM MessageSearchPending p CROSS JOIN Messages m ON m.Id = p.MessageId JOIN Chats c ON c.Id = m.ChatId;
       DELETE FROM MessageSearchPending;
       COMMIT;
       ANALYZE;"
  count=$(sql 'SELECT count(*) FROM Messages')
  word() { sql "SELECT w FROM words WHERE i = $1"; }
fi
echo "seeded $count messages in $(( $(date +%s) - seed_started )) s"
if [[ -n ${KEEP:-} && $DB == sqlite ]]; then cp "$WORK/bench.db" "$KEEP"; echo "kept in $KEEP"; fi

# A common word (the vocabulary's first), a rare one (in one or two of the 10,000 sentences), the prefix of a
# middling one (which also matches common words).
COMMON=$(word 0)
RARE=$(sql "SELECT w FROM words WHERE (SELECT count(*) FROM sentences WHERE ' ' || s || ' ' LIKE '% ' || w || ' %') BETWEEN 1 AND 2 ORDER BY i DESC LIMIT 1")
PREFIX=$(word 40 | cut -c1-4)
if [[ $DB == postgres ]]; then
  share() { sql "SELECT count(*) FROM \"Messages\" m JOIN \"Chats\" c ON c.\"Id\" = m.\"ChatId\" JOIN \"Users\" u ON u.\"Id\" = c.\"UserId\" WHERE u.\"NormalizedEmail\" = 'heavy@example.com' AND ' ' || m.\"Content\" || ' ' LIKE '% $1%'"; }
else
  share() { sql "SELECT count(*) FROM Messages m JOIN Chats c ON c.Id = m.ChatId JOIN Users u ON u.Id = c.UserId WHERE u.NormalizedEmail = 'heavy@example.com' AND ' ' || m.Content || ' ' LIKE '% $1%'"; }
fi
echo "the heavy user's messages with: '$COMMON' $(share "$COMMON "), '$RARE' $(share "$RARE "), a word starting '$PREFIX' $(share "$PREFIX")"

cat >"$WORK/search.lua" <<'LUA'
local token, q = os.getenv("TOKEN"), os.getenv("Q")
request = function()
  return wrk.format("GET", "/api/search?limit=20&q=" .. q, { ["Authorization"] = "Bearer " .. token })
end
response = function(status) if status ~= 200 then io.stderr:write("status " .. status .. "\n") end end
done = function(summary, latency)
  io.write(string.format("FIGURES %.1f %.2f %.2f %.2f\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
LUA
searches() { TOKEN=$HEAVY Q=$(printf %s "$1" | jq -sRr @uri) wrk -t1 -c1 -d"$DURATION" -s "$WORK/search.lua" "$BASE" | awk '/^FIGURES/ { print $2, $3, $4, $5 }'; }

searches "$COMMON " >/dev/null # warm-up
printf '%-6s %-8s %10s %9s %9s %9s\n' round query req/s p50_ms p95_ms p99_ms
declare -A p95s
for r in $(seq 1 "$ROUNDS"); do
  for kind in common rare prefix; do
    case $kind in common) q="$COMMON " ;; rare) q="$RARE " ;; prefix) q=$PREFIX ;; esac
    read -r rps p50 p95 p99 <<<"$(searches "$q")"
    p95s[$kind]="${p95s[$kind]:-} $p95"
    printf '%-6s %-8s %10s %9s %9s %9s\n' "$r" "$kind" "$rps" "$p50" "$p95" "$p99"
  done
done
for kind in common rare prefix; do
  # shellcheck disable=SC2086
  echo "$kind: p95 $(spread ${p95s[$kind]}) ms"
done

# Sends with and without the index kept in step: a new user each round, built-in assistant, wrk -c1.
cat >"$WORK/send.lua" <<'LUA'
local token, chat = os.getenv("TOKEN"), os.getenv("CHAT")
request = function()
  return wrk.format("POST", "/api/chats/" .. chat .. "/messages",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, '{"content":"what is the kalorana of 2 + 2"}')
end
response = function(status) if status ~= 200 then io.stderr:write("status " .. status .. "\n") end end
LUA
sends() { TOKEN=$1 CHAT=$2 wrk -t1 -c1 -d"$DURATION" --latency -s "$WORK/send.lua" "$BASE" | wrk_figures; }
if [[ $DB == postgres ]]; then
  index_off() { sql 'ALTER TABLE "Messages" DISABLE TRIGGER "Messages_search"'; }
  index_on() { sql 'ALTER TABLE "Messages" ENABLE TRIGGER "Messages_search"'; }
else
  sqlite3 "$WORK/bench.db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'Messages_search_%'" >"$WORK/triggers.sql"
  index_off() { sqlite3 -cmd '.timeout 30000' "$WORK/bench.db" 'DROP TRIGGER Messages_search_insert; DROP TRIGGER Messages_search_update; DROP TRIGGER Messages_search_delete;'; }
  index_on() { sqlite3 -cmd '.timeout 30000' "$WORK/bench.db" <"$WORK/triggers.sql"; }
fi
t=$(bench_user "send-warmup-$$@example.com")
TOKEN=$t CHAT=$(bench_chat "$t") wrk -t1 -c1 -d10s -s "$WORK/send.lua" "$BASE" >/dev/null
printf '%-6s %12s %10s %12s %10s %8s\n' round on_req/s on_p99 off_req/s off_p99 on/off
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  t=$(bench_user "send-on$r-$$@example.com")
  read -r on _ on99 <<<"$(sends "$t" "$(bench_chat "$t")")"
  index_off
  t=$(bench_user "send-off$r-$$@example.com")
  read -r off _ off99 <<<"$(sends "$t" "$(bench_chat "$t")")"
  index_on
  ratio=$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.3f", a / b }')
  ratios+=("$ratio")
  printf '%-6s %12s %10s %12s %10s %8s\n' "$r" "$on" "$on99" "$off" "$off99" "$ratio"
done
echo "sends with the index / without: $(spread "${ratios[@]}")"
