#!/usr/bin/env bash
# Builds the release: the server binary and the size-optimised wasm bundles, then
# precompresses them with brotli so the server can serve them as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-opt from npm's binaryen (Debian's is too old and breaks the module).
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
# --split: every page but the sign-in page and the shell becomes its own wasm chunk.
cargo leptos build --release --split
# The acceptance page (/uitnodiging/<token>) gets its own small bundle: the same crate with
# the `accept` feature, whose entry mounts only that page (no router, no other pages).
cargo build -p app --lib --target wasm32-unknown-unknown --profile wasm-release \
  --no-default-features --features accept --target-dir target/accept
wasm-bindgen --target web --no-typescript --out-dir target/site/pkg --out-name accept \
  target/accept/wasm32-unknown-unknown/wasm-release/app.wasm
esbuild target/site/pkg/accept.js --minify --format=esm --allow-overwrite \
  --outfile=target/site/pkg/accept.js --log-level=warning
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  target/site/pkg/accept_bg.wasm -o target/site/pkg/accept_bg.wasm
for f in target/site/pkg/*.js target/site/pkg/*.wasm target/site/pkg/*.css target/site/pkg/*.json; do
  brotli -q 11 -f -k "$f"
done
