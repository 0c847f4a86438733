#!/usr/bin/env bash
# Remakes docs/screenshots: every page at 1280×800 and 360×640, in Dutch and English
# (end2end/screenshots.mjs), against the release build on a fresh copy of the demo data.
# Run scripts/build.sh first (and scripts/setup.sh --e2e once, for Chromium and Playwright).
#
# The server listens on 127.0.0.1:3300 (the end-to-end tests use 3100 and 3101, so both can
# run at once) with its own embedded PostgreSQL in target/screenshots-data, which is wiped
# first: the screenshots script submits applications with fixed addresses and expects the
# demo data as it is on a first start.
set -euo pipefail
cd "$(dirname "$0")/.."

port=3300
url="http://127.0.0.1:$port"
data=target/screenshots-data
log=target/screenshots-server.log
staging=target/screenshots-new
out=docs/screenshots

if [ ! -x target/release/server ] || [ ! -f target/site/pkg/signin.js ]; then
  echo "No release build in target/ (target/release/server and target/site)." >&2
  echo "Build it first: scripts/build.sh (cargo leptos build --release --split plus the sign-in" >&2
  echo "and acceptance pages' own bundles; scripts/setup.sh installs what that needs)." >&2
  exit 1
fi
if [ ! -d end2end/node_modules/@playwright/test ] || ! command -v chromium >/dev/null; then
  echo "Playwright or Chromium is missing: run scripts/setup.sh --e2e first." >&2
  exit 1
fi
if curl -sf "$url/healthz" >/dev/null 2>&1; then
  echo "Something already answers at $url; stop it first." >&2
  exit 1
fi

rm -rf "$data" "$staging"
mkdir -p "$staging"

server_pid=""
stop_server() {
  # SIGTERM, so the server stops its embedded PostgreSQL (a SIGKILL would orphan it).
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# The same settings as the end-to-end tests' server (end2end/playwright.config.ts): development
# mode with the demo data and the mailbox, its own embedded database even when the environment
# names another, and limits high enough for a script that signs in again and again.
env MACHTIG_LISTEN="127.0.0.1:$port" \
  MACHTIG_PUBLIC_URL="$url" \
  DATABASE_URL= \
  MACHTIG_DATA_DIR="$data" \
  LEPTOS_SITE_ROOT=target/site \
  MACHTIG_ENV=development \
  MACHTIG_SMS_CODE_LIMIT=100000 \
  MACHTIG_IP_LOCKOUT_THRESHOLD=10000 \
  RUST_LOG=warn \
  target/release/server > "$log" 2>&1 &
server_pid=$!

# The first start creates the database cluster and loads the demo data.
for _ in $(seq 120); do
  if curl -sf "$url/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "The server stopped; its log ($log):" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  sleep 1
done
curl -sf "$url/healthz" >/dev/null || { echo "The server did not answer within 2 minutes ($log)." >&2; exit 1; }

# Node finds @playwright/test from the script's own folder (end2end/node_modules).
node end2end/screenshots.mjs "$url" "$staging"

# Only a complete set replaces the old one, and no file of an earlier naming stays behind.
mkdir -p "$out"
rm -f "$out"/*.png
mv "$staging"/*.png "$out"/
rmdir "$staging"
echo "$(ls "$out"/*.png | wc -l) screenshots in $out"
