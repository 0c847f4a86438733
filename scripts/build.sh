#!/usr/bin/env bash
# Builds the release: the server binary and the size-optimised wasm bundle, then
# precompresses the bundle with brotli so the server can serve it as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-opt from npm's binaryen (Debian's is too old and breaks the module).
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
# --split: every page but the sign-in page and the shell becomes its own wasm chunk.
cargo leptos build --release --split
for f in target/site/pkg/*.js target/site/pkg/*.wasm target/site/pkg/*.css target/site/pkg/*.json; do
  brotli -q 11 -f -k "$f"
done
