#!/usr/bin/env bash
# What a flood of bad logins does to everyone else: GET /login's latency alone, then while
# 32 connections post wrong passwords as fast as they can. Run once with the limits out of the
# way (every post reaches argon2: the worst case for the CPU) and once with the shipped limits
# (the flood's address is refused after 30 tries a minute).
#   scripts/bench-login-flood.sh [SECONDS]     (default 10 s per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-10}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

# One wrk run; prints "requests/s p50 p99" (latencies in ms).
measure() {
  wrk -t1 -c4 -d"${SECONDS_EACH}s" --latency "$@" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}
row() { printf '%-44s %12s %9s %9s\n' "$1" "$2" "$3" "$4"; }

run() {
  local label=$1
  source scripts/lib/fresh-server.sh
  cat >target/measure/bad-login.lua <<LUA
wrk.method = "POST"
wrk.body = "email=maya%40student.test&password=not-her-password"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "$BASE"
LUA
  read -r rps p50 p99 < <(measure "$BASE/login"); row "$label: GET /login alone" "$rps" "$p50" "$p99"
  wrk -t2 -c32 -d"$((SECONDS_EACH + 2))s" --latency -s target/measure/bad-login.lua "$BASE/api/login" >target/measure/flood.txt &
  local flood=$!
  sleep 1
  read -r rps p50 p99 < <(measure "$BASE/login"); row "$label: GET /login during the flood" "$rps" "$p50" "$p99"
  wait $flood
  row "$label: the flood's bad logins" "$(awk '$1 == "Requests/sec:" { printf "%.0f", $2 }' target/measure/flood.txt)" "" ""
  kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null || true
}

printf '%-44s %12s %9s %9s\n' "(GET with 4 connections, flood with 32)" "requests/s" "p50 ms" "p99 ms"
FRESH_SERVER_ENV="" run "no limits"
PORT=3201 FRESH_SERVER_ENV="BOOKING_LOGIN_ATTEMPTS_PER_MINUTE=10 BOOKING_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE=30" run "shipped limits"
