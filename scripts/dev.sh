#!/usr/bin/env bash
# The development loop: builds the portal in debug, serves it at http://127.0.0.1:3000 (the
# embedded PostgreSQL in ./data, the demo data, the development mailbox), and after every saved
# change under app/, server/, style/ or public/ rebuilds, restarts the server and reloads the
# open pages by themselves (they ask /dev/build; no websocket, so the CSP stays as strict as in
# production). Stop with Ctrl-C.
#
#   scripts/dev.sh          rebuild the portal bundle and the server on a change
#   scripts/dev.sh --all    also the sign-in and acceptance pages' own bundles
#
# A change to a file of the sign-in or acceptance page always rebuilds that page's bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
all=false
[ "${1:-}" = "--all" ] && all=true

site=target/dev-site
export LEPTOS_SITE_ROOT=$site MACHTIG_LIVE_RELOAD=true MACHTIG_ENV=development
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# One wasm bundle in debug: the crate with `feature`, bound as `name` (the portal's wasm is
# machtig.wasm, as cargo-leptos names it; the single pages' are <name>_bg.wasm).
bundle() { # feature name
  cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features \
    --features "$1" --target-dir "target/dev-$1"
  wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name "$2" \
    "target/dev-$1/wasm32-unknown-unknown/debug/app.wasm"
  if [ "$2" = machtig ]; then mv "$site/pkg/machtig_bg.wasm" "$site/pkg/machtig.wasm"; fi
}

# What a change needs rebuilt: the server always (it is quick and holds the API), the portal's
# bundle for app/ and style/, and the single pages' bundles for their own files (or --all).
build() { # changed files...
  local changed="$*" ui=false accept=$all signin=$all
  if [ -z "$changed" ]; then ui=true accept=true signin=true; fi
  for f in $changed; do
    case "$f" in
      app/*|style/*|public/*) ui=true ;;
    esac
    case "$f" in
      *acceptance*|*accept*) accept=true ;;
      *signin*|*sign_in*) signin=true ;;
      app/src/domain/*|app/src/api/*|app/src/ui/locales*|app/src/ui/components/*|style/*) accept=true signin=true ;;
    esac
  done
  mkdir -p "$site/pkg"
  cp -r public/. "$site/"
  cp style/main.css "$site/pkg/machtig.css"
  cp style/portal.css "$site/pkg/portal.css"
  if $ui; then bundle csr machtig; fi
  if $accept; then bundle accept accept; fi
  if $signin; then bundle signin signin; fi
  cargo build -p server
}

server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap 'stop_server; exit 0' INT TERM
start_server() {
  target/debug/server serve &
  server_pid=$!
}

# Newer than the stamp: what was saved since the last build.
stamp=target/dev-site.stamp
changes() {
  find app/src app/migrations server/src style public -type f -newer "$stamp" 2>/dev/null \
    | grep -v '/\.' || true
}

say "first build (debug)"
mkdir -p target
touch "$stamp"
build
start_server
say "serving http://127.0.0.1:3000; the demo sign-in is in the README; save a file to rebuild"
while true; do
  sleep 0.3
  changed=$(changes)
  [ -z "$changed" ] && continue
  touch "$stamp"
  saved=$(date +%s%N)
  say "changed: $(echo "$changed" | tr '\n' ' ')"
  if build $changed; then
    stop_server
    start_server
    took=$(( ($(date +%s%N) - saved) / 1000000 ))
    say "rebuilt and restarted $((took / 1000)).$(( took % 1000 / 100 )) s after the save; open pages reload by themselves"
  else
    say "the build failed; the running server keeps the last good build"
  fi
done
