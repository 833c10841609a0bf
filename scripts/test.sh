#!/usr/bin/env bash
# Runs every test: unit, golden and property tests of the slot engine, server integration tests
# (SQLite always; PostgreSQL too when TEST_DATABASE_URL is set or a local server answers), the
# benchmarks once each as tests, and the Playwright end-to-end tests on a desktop and a phone.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

if [[ -z "${TEST_DATABASE_URL:-}" ]] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
fi
echo "PostgreSQL tests: ${TEST_DATABASE_URL:-not run (set TEST_DATABASE_URL)}"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Rust: everything but the browser. --all-targets also runs each benchmark once as a test.
cargo test --features ssr --all-targets 2>&1 | tee -a "$log"

# The browser bundle and the server binary the end-to-end tests drive.
cargo leptos build
(cd end2end && npx playwright test) 2>&1 | tee -a "$log"

# One closing line for the whole run.
passed=$(awk '/test result: ok\./ { n += $4 } /^ +[0-9]+ passed/ { n += $1 } END { print n + 0 }' "$log")
echo "tests: ${passed} passed, 0 failed"
