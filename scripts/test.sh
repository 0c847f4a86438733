#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (server and wasm), unit and property tests,
# service tests against a real PostgreSQL (a fresh database per test), and the end-to-end
# tests with accessibility checks in Debian's Chromium against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --e2e
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "rustfmt"
cargo fmt --all -- --check

say "clippy (server, with tests)"
cargo clippy -p server -p app --features app/ssr --all-targets -- -D warnings
say "clippy (browser, wasm32)"
cargo clippy -p app --lib --target wasm32-unknown-unknown --features csr -- -D warnings
say "clippy (the acceptance page's bundle, wasm32)"
cargo clippy -p app --lib --target wasm32-unknown-unknown --features accept -- -D warnings

say "PostgreSQL for the service tests"
cargo build -p server
rm -rf target/test-db
MACHTIG_DATA_DIR=target/test-db target/debug/server embedded-postgres > target/test-db.out 2>&1 &
pg_pid=$!
trap 'kill $pg_pid 2>/dev/null; wait $pg_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  grep -q '^DATABASE_URL=' target/test-db.out 2>/dev/null && break
  kill -0 $pg_pid 2>/dev/null || { cat target/test-db.out; exit 1; }
  sleep 0.5
done
DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' target/test-db.out)
export DATABASE_URL

say "unit, property and service tests"
cargo test -p app -p server --features app/ssr

say "release build"
scripts/build.sh

say "end-to-end tests (Playwright, Chromium)"
rm -rf target/e2e-data
(cd end2end && npx playwright test)
