#!/usr/bin/env bash
# Lighthouse 12.2.3 (Node 20) on the published build in Production, served as operators run it: the login page and a
# signed-in chat with a few replies, the mobile (default) and desktop presets, ROUNDS runs each (default 3), in
# Debian's Chromium. Prints the median of each category score and of LCP, TBT and CLS, with the spread.
#   bench/lighthouse.sh
# KEEP=DIR keeps the reports (JSON) there.
# Targets (issue 10): performance >= 95, accessibility 100, best practices 100, SEO >= 95, mobile LCP <= 2.0 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
WORK=$(mktemp -d /tmp/parley-lighthouse.XXXXXX)
PORT=5297
BASE=http://127.0.0.1:$PORT
trap '[[ -n ${APP:-} ]] && kill $APP 2>/dev/null; [[ -n ${KEEP:-} ]] && cp "$WORK"/*.json "$KEEP"/; rm -rf "$WORK"' EXIT

dotnet publish src/Parley -c Release -o "$WORK/app" -nologo -v quiet -clp:ErrorsOnly >"$WORK/publish.log" || { cat "$WORK/publish.log"; exit 1; }
(cd "$WORK" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=$BASE DATABASE_URL="sqlite:///$WORK/lh.db" \
  SECRET_KEY="$(head -c 48 /dev/urandom | base64)" Auth__BcryptWorkFactor=4 Auth__AttemptsPerMinutePerIp=100000 \
  Bot__BuiltInWordDelay=00:00:00 exec dotnet app/Parley.dll >"$WORK/app.log" 2>&1) &
APP=$!
until curl -sf "$BASE/healthz/ready" >/dev/null; do kill -0 "$APP" 2>/dev/null || { cat "$WORK/app.log"; exit 1; }; sleep 0.2; done

EMAIL=lighthouse@example.com PASSWORD='a bench of nine mossy oaks'
TOKEN=$(curl -sf "$BASE/api/auth/register" -H 'Content-Type: application/json' -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" \
  | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
CHAT=$(curl -sf "$BASE/api/chats" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{}' | sed -E 's/.*"id":([0-9]+).*/\1/')
for q in 'show me markdown' 'what is (12 + 30) * 2' 'how many messages do I have?'; do
  curl -sf "$BASE/api/chats/$CHAT/messages" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "{\"content\":\"$q\"}" >/dev/null
done

# A fresh refresh cookie for each signed-in run: it is used once (the page trades it for a session), and a second
# use of the same one would end the session, as it does for a stolen cookie.
cookie() {
  curl -sf -c - "$BASE/api/auth/login" -H 'Content-Type: application/json' -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" \
    | awk '$6 ~ /refresh/ { printf "%s=%s", $6, $7 }'
}

run() { # name url preset [cookie]
  local out="$WORK/$1-$3-$4.json" headers=()
  [[ -n ${5:-} ]] && headers=(--extra-headers "{\"Cookie\":\"$5\"}")
  local preset=()
  [[ $3 == desktop ]] && preset=(--preset=desktop)
  CHROME_PATH=/usr/bin/chromium npx -y lighthouse@12.2.3 "$2" "${preset[@]}" "${headers[@]}" --quiet \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync" \
    --only-categories=performance,accessibility,best-practices,seo --output=json --output-path="$out" >/dev/null 2>"$WORK/lh.err" \
    || { cat "$WORK/lh.err"; exit 1; }
  node -e '
    const r = require(process.argv[1]), c = r.categories, a = r.audits
    console.log([process.argv[2], process.argv[3], c.performance.score * 100, c.accessibility.score * 100, c["best-practices"].score * 100,
      c.seo.score * 100, a["largest-contentful-paint"].numericValue, a["total-blocking-time"].numericValue,
      a["cumulative-layout-shift"].numericValue].join("\t"))
    for (const [id, audit] of Object.entries(a))
      if (audit.score !== null && audit.score < 1 && ["accessibility", "best-practices", "seo"].some((k) => c[k].auditRefs.some((x) => x.id === id && x.weight > 0)))
        console.error(`  ${process.argv[2]} ${process.argv[3]}: ${id}: ${audit.title}`)
  ' "$out" "$1" "$3" >>"$WORK/results.tsv" 2>>"$WORK/failed.txt"
}

for round in $(seq 1 "$ROUNDS"); do
  for preset in mobile desktop; do
    run login "$BASE/login" "$preset" "$round"
    run chat "$BASE/c/$CHAT" "$preset" "$round" "$(cookie)"
  done
done

echo "page    preset   perf  a11y  best  seo   LCP ms (spread)        TBT ms  CLS     (median of $ROUNDS runs)"
node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => l.split("\t"))
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
  for (const page of ["login", "chat"]) for (const preset of ["mobile", "desktop"]) {
    const r = rows.filter((x) => x[0] === page && x[1] === preset), col = (i) => r.map((x) => Number(x[i]))
    const lcp = col(6)
    console.log([page.padEnd(7), preset.padEnd(8), ...[2, 3, 4, 5].map((i) => String(median(col(i))).padEnd(5)),
      `${Math.round(median(lcp))} (${Math.round(Math.min(...lcp))}-${Math.round(Math.max(...lcp))})`.padEnd(22),
      String(Math.round(median(col(7)))).padEnd(7), median(col(8)).toFixed(3)].join(" "))
  }
' "$WORK/results.tsv"
if [[ -s $WORK/failed.txt ]]; then echo "Audits not passed:"; sort -u "$WORK/failed.txt"; fi
