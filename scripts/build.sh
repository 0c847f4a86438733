#!/usr/bin/env bash
# Builds the release: the server binary and the size-optimised wasm bundles, then
# precompresses them with brotli so the server can serve them as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-opt as scripts/setup.sh installs it (cargo's bin folder first: Debian's is too old), esbuild
# from npm.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH:$PWD/end2end/node_modules/.bin"
# --split: every portal page but the start page and the shell becomes its own wasm chunk.
cargo leptos build --release --split
# The acceptance page (/uitnodiging/<token>) and the sign-in page (the first download of anyone
# not signed in) get their own small bundles: the same crate with the `accept` or `signin`
# feature, whose entry mounts only that page (no router, no other pages, only its texts).
# They build in cargo-leptos's target folder with its flags (the linker keeps relocations for the
# splitting) and the one variable of its environment that leptos reads when compiled, so the
# dependencies it compiled are reused, not compiled again (3 minutes when cold), and stay fresh for
# its next build; the relocations go again before wasm-bindgen.
single_page_bundle() { # feature
  RUSTFLAGS=-Clink-args=--emit-relocs LEPTOS_OUTPUT_NAME=machtig \
    cargo build -p app --lib --target wasm32-unknown-unknown \
    --profile wasm-release --no-default-features --features "$1" --target-dir target/front
  python3 scripts/strip-wasm-relocs.py target/front/wasm32-unknown-unknown/wasm-release/app.wasm \
    "target/$1.wasm"
  wasm-bindgen --target web --no-typescript --out-dir target/site/pkg --out-name "$1" "target/$1.wasm"
  esbuild "target/site/pkg/$1.js" --minify --format=esm --allow-overwrite \
    --outfile="target/site/pkg/$1.js" --log-level=warning
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "target/site/pkg/$1_bg.wasm" -o "target/site/pkg/$1_bg.wasm"
}
single_page_bundle accept
single_page_bundle signin
# The portal's own styles, only in the portal's shell (the single pages' budgets never see them).
esbuild style/portal.css --minify --outfile=target/site/pkg/portal.css --log-level=warning
for f in target/site/pkg/*.js target/site/pkg/*.wasm target/site/pkg/*.css target/site/pkg/*.json; do
  brotli -q 11 -f -k "$f"
done
