#!/usr/bin/env bash
# Installs what building and testing need on a fresh machine of this kind, skipping what is
# already there. Every step works offline apart from the package registries.
# run.sh and test.sh source it, so the PATH it sets reaches cargo-leptos.
#   scripts/setup.sh          toolchain for building and running the app
#   scripts/setup.sh --test   also Chromium and the Playwright packages for end-to-end tests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

CARGO_LEPTOS_VERSION=0.3.10 # 0.3.11 needs rustc 1.96
# The CLI must equal the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(cargo leptos --version 2>/dev/null || true)" != *"$CARGO_LEPTOS_VERSION"* ]]; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 14 minutes on 2 cores)"
  CARGO_PROFILE_RELEASE_LTO=false cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != *"$WASM_BINDGEN_VERSION"* ]]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its own lock file names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# Debian packages; this kind of machine runs as root, elsewhere sudo is needed.
apt_updated=false
apt_install() {
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  if ! $apt_updated; then
    $sudo apt-get update -qq
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

if ! command -v npm >/dev/null; then
  log "installing Node.js and npm"
  apt_install nodejs npm
fi

# wasm-opt for release builds (cargo-leptos uses the one on PATH; its own download fails
# here). binaryen 132 from npm, kept in .tools/: Debian's wasm-opt 108 emitted a bundle whose
# hydration failed with "WebAssembly.Table.set(): Argument 1 is invalid".
BINARYEN_VERSION=132.0.0
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
if [[ "$(wasm-opt --version 2>/dev/null || true)" != *"version ${BINARYEN_VERSION%%.*}"* ]]; then
  log "installing binaryen $BINARYEN_VERSION (wasm-opt)"
  npm install --prefix .tools --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
fi

# A local server that speaks Stripe's API (PyPI localstripe, GPL-3.0): a test and demo tool
# only, never part of the app. run.sh starts it so that paying for a session works without a
# Stripe account; the payment tests run against it.
LOCALSTRIPE_VERSION=1.15.10
if ! .tools/venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('localstripe') != '$LOCALSTRIPE_VERSION')" 2>/dev/null; then
  log "installing localstripe $LOCALSTRIPE_VERSION (a local Stripe test server)"
  [[ -x .tools/venv/bin/python ]] || python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet --disable-pip-version-check "localstripe==$LOCALSTRIPE_VERSION"
fi

if $want_test; then
  if [[ ! -x /usr/bin/chromium ]]; then
    log "installing Chromium for the end-to-end tests"
    apt_install chromium
  fi
  if [[ ! -d end2end/node_modules/@playwright/test ]]; then
    log "installing the Playwright test runner"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
  # A real SMTP server for the mail tests (tests/server/mail.rs), from PyPI, in its own venv.
  AIOSMTPD_VERSION=1.4.6
  if ! .tools/venv/bin/python -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    log "installing aiosmtpd $AIOSMTPD_VERSION (SMTP server for the mail tests)"
    [[ -x .tools/venv/bin/python ]] || python3 -m venv .tools/venv
    .tools/venv/bin/pip install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
  fi
fi
log "ready"
