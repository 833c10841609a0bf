#!/usr/bin/env bash
# Installs what is missing, builds the release app and serves it on http://127.0.0.1:3000.
# With no DATABASE_URL it uses SQLite in data/ and seeds the demo data on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
# -P writes brotli and gzip copies of the bundle, which the server sends as they are.
exec cargo leptos serve --release --precompress
