#!/usr/bin/env bash
# One history page (30 messages) at one connection and at 64, against the plaintext ceiling, alternating rounds.
#   bench/history.sh [sqlite|postgres]
# A user with a chat of 100 messages (50 sends through the API); GET /api/chats/{id}/messages?limit=30.
# Per round: the template app's plaintext at -c64, then the page at -c64 and at -c1, DURATION each.
source "$(dirname "$0")/lib.sh"
bench_init "${1:-sqlite}"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
bench_plaintext 5297
bench_parley 5298
TOKEN=$(bench_user bench@example.com)
CHAT=$(bench_chat "$TOKEN")
for i in $(seq 1 50); do
  curl -sf "$BASE/api/chats/$CHAT/messages" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"content\":\"question number $i: what is $i + $i\"}" >/dev/null
done
URL="$BASE/api/chats/$CHAT/messages?limit=30"
AUTH="Authorization: Bearer $TOKEN"
[[ $(curl -sf "$URL" -H "$AUTH" | grep -o '"id":' | wc -l) -ge 30 ]] || { echo "the page is not served" >&2; exit 1; }

page() { wrk -t"$2" -c"$1" -d"$3" --latency -H "$AUTH" "$URL" | wrk_figures; }
page 64 2 "${WARMUP:-20s}" >/dev/null
page 1 1 5s >/dev/null
printf '%-6s %12s %12s %10s %10s %8s %10s %10s\n' round plaintext c64_req/s c64_p50 c64_p99 ratio% c1_p50 c1_p99
ratios=() c1p99=()
for r in $(seq 1 "$ROUNDS"); do
  c=$(wrk -t2 -c64 -d"$DURATION" "$CEILING_URL" | awk '/Requests\/sec/ {print $2}')
  read -r s p50 p99 <<<"$(page 64 2 "$DURATION")"
  read -r _ one50 one99 <<<"$(page 1 1 "$DURATION")"
  ratio=$(awk -v s="$s" -v c="$c" 'BEGIN { printf "%.2f", 100 * s / c }')
  ratios+=("$ratio") c1p99+=("$one99")
  printf '%-6s %12s %12s %10s %10s %8s %10s %10s\n' "$r" "$c" "$s" "$p50" "$p99" "$ratio" "$one50" "$one99"
done
echo "c64 ratio %: $(spread "${ratios[@]}")   c1 p99 ms: $(spread "${c1p99[@]}")"
