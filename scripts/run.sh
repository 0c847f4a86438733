#!/usr/bin/env bash
# Builds Machtig and starts it at http://127.0.0.1:3000 with an embedded PostgreSQL in ./data
# and the demo data (see README). Settings come from the environment; see .env.example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec target/release/server
