#!/usr/bin/env bash
# Installs what is missing, builds the release app and serves it on http://127.0.0.1:3000.
# With no DATABASE_URL it uses SQLite in data/ and seeds the demo data on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p data
source scripts/setup.sh

# Without a Stripe account of yours, sessions beyond those a course includes are paid to a
# local Stripe test server (localstripe), so the whole flow works; nothing real is charged.
if [[ -z "${BOOKING_STRIPE_SECRET_KEY:-}" ]]; then
  stripe_port=8420
  .tools/venv/bin/localstripe --port "$stripe_port" --from-scratch >data/localstripe.log 2>&1 &
  stripe_pid=$!
  trap 'kill "$stripe_pid" 2>/dev/null || true' EXIT
  export BOOKING_STRIPE_SECRET_KEY=sk_test_demo BOOKING_STRIPE_PUBLISHABLE_KEY=pk_test_demo
  export BOOKING_STRIPE_WEBHOOK_SECRET=whsec_demo_local
  export BOOKING_STRIPE_API_BASE="http://127.0.0.1:$stripe_port" BOOKING_STRIPE_JS_URL="http://127.0.0.1:$stripe_port/js.stripe.com/v3/"
  for _ in $(seq 50); do
    curl -fs -o /dev/null -X POST "$BOOKING_STRIPE_API_BASE/_config/webhooks/demo" \
      -d url="http://${BOOKING_SITE_ADDR:-127.0.0.1:3000}/webhooks/stripe" -d secret="$BOOKING_STRIPE_WEBHOOK_SECRET" && break
    sleep 0.2
  done
  echo "[run] payments go to a local Stripe test server at $BOOKING_STRIPE_API_BASE (card 4242 4242 4242 4242 pays, 4000 0000 0000 0341 is declined)"
fi

# -P writes brotli and gzip copies of the bundle, which the server sends as they are.
cargo leptos serve --release --precompress
