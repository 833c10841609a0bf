#!/usr/bin/env bash
# Runs every test, after the formatting and lint gate: unit, golden and property tests of the slot engine, server integration tests
# (SQLite always; PostgreSQL too when TEST_DATABASE_URL is set or a local server answers), the
# benchmarks once each as tests, and the Playwright end-to-end tests on a desktop and a phone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --test

# Use a local PostgreSQL when one lets us in without a password (as on this kind of machine).
local_pg=postgres://postgres@127.0.0.1:5432/test
if [[ -z "${TEST_DATABASE_URL:-}" ]] && command -v psql >/dev/null && psql "$local_pg" -qAtc 'select 1' >/dev/null 2>&1; then
  export TEST_DATABASE_URL=$local_pg
fi
echo "PostgreSQL tests: ${TEST_DATABASE_URL:-not run (set TEST_DATABASE_URL)}"
if [[ -n "${TEST_DATABASE_URL:-}" ]] && command -v psql >/dev/null; then
  # Databases that earlier test runs created and could not drop (tests create sb_test_*).
  psql "$TEST_DATABASE_URL" -qAtc "select datname from pg_database where datname like 'sb_test_%'" |
    while read -r db; do psql "$TEST_DATABASE_URL" -qc "drop database if exists \"$db\" with (force)"; done
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The gate: formatted, and no lint warning on either target.
cargo fmt --check
cargo clippy --all-targets --features ssr -- -D warnings
cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

# Rust: everything but the browser. --all-targets also runs each benchmark once as a test.
cargo test --features ssr --all-targets 2>&1 | tee -a "$log"

# The end-to-end tests drive the release build: what scripts/run.sh serves, wasm-opt included.
cargo leptos build --release --precompress
(cd end2end && SERVER_BIN=./target/release/session-booking npx playwright test) 2>&1 | tee -a "$log"

# One closing line for the whole run.
passed=$(awk '/test result: ok\./ { n += $4 } /^ +[0-9]+ passed/ { n += $1 } END { print n + 0 }' "$log")
echo "tests: ${passed} passed, 0 failed"
