#!/usr/bin/env bash
# Runs every check and test: formatting, cargo deny, clippy (server and wasm), unit and property tests,
# service tests against a real PostgreSQL (a fresh database per test), and the end-to-end
# tests with accessibility checks in Debian's Chromium against the release build.
# Ends with one line: the totals of every stage ("N passed, N failed") and the time per stage,
# also when a stage fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --e2e
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

logs=target/test-logs
mkdir -p "$logs"
passed=0
failed=0
times=()
started=$SECONDS

summary() {
  local stages="" t
  for t in "${times[@]}"; do stages="${stages:+$stages · }$t"; done
  printf '\033[1m%d passed, %d failed\033[0m  (%s; total %ds)\n' \
    "$passed" "$failed" "$stages" "$((SECONDS - started))"
}
trap summary EXIT

# Counts what a stage's log reports: cargo's "test result" lines, Playwright's totals, or, for a
# check without tests of its own (rustfmt, clippy, a build), the check itself as one.
count() { # log exit-code
  local p f
  if grep -q '^test result: ' "$1"; then
    p=$(sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1/p' "$1" | awk '{ s += $1 } END { print s + 0 }')
    f=$(sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\2/p' "$1" | awk '{ s += $1 } END { print s + 0 }')
  elif grep -Eq '^ +[0-9]+ (passed|failed|flaky)' "$1"; then
    p=$(sed -En 's/^ +([0-9]+) passed.*/\1/p' "$1" | tail -1)
    f=$(sed -En 's/^ +([0-9]+) (failed|flaky).*/\1/p' "$1" | awk '{ s += $1 } END { print s + 0 }')
  elif [ "$2" = 0 ]; then
    p=1 f=0
  else
    p=0 f=1
  fi
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  # A stage that failed without reporting a failed test (a crash, a build error) still counts.
  if [ "$2" != 0 ] && [ "${f:-0}" = 0 ]; then failed=$((failed + 1)); fi
}

stage() { # name command...
  local name=$1 t0=$SECONDS rc
  shift
  say "$name"
  set +e
  "$@" 2>&1 | tee "$logs/${name// /-}.log"
  rc=${PIPESTATUS[0]}
  set -e
  times+=("$name $((SECONDS - t0))s")
  count "$logs/${name// /-}.log" "$rc"
  return "$rc"
}

stage "rustfmt" cargo fmt --all -- --check
# Licenses, banned and duplicate crates, and sources (deny.toml). The advisory database is on
# GitHub, which CI cannot reach: run `cargo deny check advisories` where it can.
stage "cargo deny" cargo deny check licenses bans sources
stage "clippy server" cargo clippy -p server -p app --features app/ssr --all-targets -- -D warnings
stage "clippy browser" cargo clippy -p app --lib --target wasm32-unknown-unknown --features csr -- -D warnings
stage "clippy acceptance" cargo clippy -p app --lib --target wasm32-unknown-unknown --features accept -- -D warnings
stage "clippy sign-in" cargo clippy -p app --lib --target wasm32-unknown-unknown --features signin -- -D warnings

say "PostgreSQL for the service tests"
cargo build -p server
rm -rf target/test-db
MACHTIG_DATA_DIR=target/test-db target/debug/server embedded-postgres > target/test-db.out 2>&1 &
pg_pid=$!
trap 'kill $pg_pid 2>/dev/null; wait $pg_pid 2>/dev/null || true; summary' EXIT
for _ in $(seq 1 120); do
  grep -q '^DATABASE_URL=' target/test-db.out 2>/dev/null && break
  kill -0 $pg_pid 2>/dev/null || { cat target/test-db.out; exit 1; }
  sleep 0.5
done
DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' target/test-db.out)
export DATABASE_URL

stage "unit, property and service tests" cargo test -p app -p server --features app/ssr

stage "release build" scripts/build.sh
# The first downloads of the sign-in and acceptance pages against their budgets (150 KB brotli):
# sizes of this build, with what grew since docs/bundle-sizes.txt.
stage "bundle budget" env LEPTOS_SITE_ROOT=target/site target/release/server bundle-size

rm -rf target/e2e-data target/e2e-brand-data
stage "end-to-end" bash -c 'cd end2end && npx playwright test'
