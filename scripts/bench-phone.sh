#!/usr/bin/env bash
# Each tap of a booking on a throttled phone (Pixel 7, Slow 4G, 4× slower CPU), against the
# release build on a fresh SQLite database; prints a table for BENCHMARKS.md.
#   scripts/bench-phone.sh [WALKS]     (default 3; the figure is each tap's median)
set -euo pipefail
cd "$(dirname "$0")/.."
WALKS=${1:-3}
source scripts/setup.sh --test
source scripts/lib/fresh-server.sh
(cd end2end && node bench/phone-walk.mjs "$BASE" "$COOKIE" "$WALKS")
