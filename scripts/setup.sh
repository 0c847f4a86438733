#!/usr/bin/env bash
# Installs whatever building, running and testing Machtig needs and is missing: the wasm
# target, cargo-leptos, cargo-deny, wasm-bindgen-cli (the version in Cargo.lock), binaryen's
# wasm-opt, the npm packages (Playwright, axe, esbuild), with --e2e Debian's Chromium, with --bench
# wrk and bc.
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

with_e2e=false
with_bench=false
[ "${1:-}" = "--e2e" ] && with_e2e=true
[ "${1:-}" = "--bench" ] && with_bench=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_install() {
  local runner=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then runner=(sudo); else
      echo "Please install these Debian packages: $*" >&2; exit 1
    fi
  fi
  say "apt-get install $*"
  "${runner[@]}" apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 || {
    "${runner[@]}" apt-get update >/dev/null
    "${runner[@]}" apt-get install -y --no-install-recommends "$@" >/dev/null
  }
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  say "cargo install cargo-leptos 0.3.10 (takes about 20 minutes once)"
  cargo install cargo-leptos@0.3.10 --locked --features no_downloads
fi

if ! cargo deny --version 2>/dev/null | grep -q '0\.20\.2'; then
  say "cargo install cargo-deny 0.20.2 (about 3 minutes once)"
  cargo install cargo-deny@0.20.2 --locked
fi

wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$wb_version"; then
  say "cargo install wasm-bindgen-cli $wb_version"
  cargo install wasm-bindgen-cli@"$wb_version"
fi

# Binaryen's wasm-opt, built natively: Debian's (108) is too old and breaks the module, and npm's
# runs in node, which takes seconds to start for each of the portal's 220 split chunks (5 minutes
# of every release build, against 1 natively).
if ! wasm-opt --version 2>/dev/null | grep -q 'version 116'; then
  say "cargo install wasm-opt 0.116.1 (binaryen 116; about 15 minutes once)"
  cargo install wasm-opt@0.116.1 --locked
fi

if [ ! -x end2end/node_modules/.bin/esbuild ] || \
   [ ! -d end2end/node_modules/@playwright/test ] || [ ! -d end2end/node_modules/lighthouse ]; then
  say "npm ci (Playwright, axe, esbuild, Lighthouse)"
  (cd end2end && npm ci --no-audit --no-fund)
fi

missing=()
command -v brotli >/dev/null || missing+=(brotli)
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if $with_e2e; then
  command -v chromium >/dev/null || missing+=(chromium)
fi
if $with_bench; then
  command -v wrk >/dev/null || missing+=(wrk)
  command -v bc >/dev/null || missing+=(bc)
fi
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
