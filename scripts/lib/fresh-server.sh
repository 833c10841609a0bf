# Sourced by the measuring scripts: builds the release app if needed, starts it on PORT with a
# fresh, seeded database, and logs a demo student in. The database is SQLite under
# target/measure/, or with MEASURE_POSTGRES=postgres://user@host/db a new PostgreSQL database
# `sb_measure` beside that one (made again each run).
# Sets BASE (the server's URL), COOKIE (the login session's cookie) and stops the server on exit.
# SERVER_BIN=path runs another build (an earlier commit's, for a before-and-after), with its
# hash file beside it.
PORT=${PORT:-3200}
SERVER_BIN=${SERVER_BIN:-target/release/session-booking}
BASE="http://127.0.0.1:$PORT"
source scripts/setup.sh
if [[ ! -x target/release/session-booking || ! -f target/release/hash.txt ]]; then
  cargo leptos build --release --precompress
fi
rm -rf target/measure && mkdir -p target/measure
DATABASE_URL="sqlite://target/measure/app.db?mode=rwc"
if [[ -n "${MEASURE_POSTGRES:-}" ]]; then
  psql "$MEASURE_POSTGRES" -qc 'drop database if exists sb_measure with (force)' -c 'create database sb_measure'
  DATABASE_URL="${MEASURE_POSTGRES%/*}/sb_measure"
fi
# Limits high enough for load runs; a script may lower them (FRESH_SERVER_ENV="VAR=value …").
env DATABASE_URL="$DATABASE_URL" BOOKING_SITE_ADDR="127.0.0.1:$PORT" BOOKING_SEED_DEMO=true BOOKING_MAIL_DIR=target/measure/mail \
  BOOKING_LOGIN_ATTEMPTS_PER_MINUTE=1000000 BOOKING_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE=1000000 RUST_LOG=warn \
  ${FRESH_SERVER_ENV:-} \
  "$SERVER_BIN" serve >target/measure/server.log 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.1; done
COOKIE=$(curl -s -o /dev/null -D - -H "Origin: $BASE" -H 'Accept: application/json' \
  --data 'email=maya%40student.test&password=booking-demo' "$BASE/api/login" |
  awk -F'[:;] *' 'tolower($1) == "set-cookie" { print $2; exit }')
[[ -n "$COOKIE" ]] || { echo "could not log in to $BASE" >&2; exit 1; }
