#!/usr/bin/env bash
# Server throughput, side by side in one run: an axum plaintext handler (/health, the ceiling),
# the logged-in booking page's server render at steps 1, 2 and 3, and load_availability for a
# course's month.
# wrk (Debian) on this machine, against the release build on a fresh SQLite database.
#   scripts/bench-http.sh [SECONDS] [CONNECTIONS]     (defaults: 10 s, 64 connections)
#   MEASURE_POSTGRES=postgres://postgres@127.0.0.1:5432/test scripts/bench-http.sh   (on PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-10}
CONNECTIONS=${2:-64}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
source scripts/lib/fresh-server.sh

month=$(TZ=America/New_York date +%Y-%m)
cat >target/measure/availability.lua <<LUA
wrk.method = "POST"
wrk.body = "course_id=1&month=$month"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "$BASE"
wrk.headers["Cookie"] = "$COOKIE"
LUA

# One wrk run; prints "requests/s p50 p99" (latencies in ms).
measure() {
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$@" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.2f %.2f %s\n", rps, p50, p99, bad + 0 }'
}

echo "engine: ${DATABASE_URL%%\?*}"
printf '%-34s %12s %9s %9s %8s\n' "endpoint ($CONNECTIONS connections)" "requests/s" "p50 ms" "p99 ms" "non-2xx"
row() { printf '%-34s %12s %9s %9s %8s\n' "$1" $2 $3 $4 $5; }
read -r plain p50 p99 bad < <(measure "$BASE/health"); row "GET /health (plaintext)" "$plain" "$p50" "$p99" "$bad"
# Step 3 shows the first date on which the course's best-rated tutor has a time.
first=$(curl -sf -H "Cookie: $COOKIE" -H "Origin: $BASE" -H 'Accept: application/json' --data course_id=1 "$BASE/api/load_next_times")
st=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])[0]["st_id"])' "$first")
date=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])[0]["local_date"])' "$first")
pages=("step 1:/courses/1/book" "step 2:/courses/1/book?st=$st" "step 3:/courses/1/book?st=$st&date=$date")
shares=()
for page in "${pages[@]}"; do
  read -r rps p50 p99 bad < <(measure -H "Cookie: $COOKIE" -H 'Accept-Encoding: br' "$BASE${page#*:}")
  row "GET ${page%%:*} (SSR, brotli)" "$rps" "$p50" "$p99" "$bad"
  shares+=("${page%%:*} $(awk -v a="$rps" -v b="$plain" 'BEGIN { printf "%.1f", 100 * a / b }') %")
done
read -r rps p50 p99 bad < <(measure -s target/measure/availability.lua "$BASE/api/load_availability")
row "POST /api/load_availability" "$rps" "$p50" "$p99" "$bad"
echo "pages ($st, $date), share of the plaintext ceiling: ${shares[*]}"
