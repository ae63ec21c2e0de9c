#!/usr/bin/env bash
# Regenerates the transformers.js NER goldens and fails if they differ from the committed ones.
# Needs Node 18+ and the npm registry (nothing else from the network). Run from anywhere:
#   models/reference/check_goldens.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."   # repository root: every path below and in the output is relative to it

golden="models/goldens/ner-bert-wordpiece.json"
command -v node >/dev/null || { echo "check_goldens: node (18+) is required" >&2; exit 2; }
command -v npm >/dev/null || { echo "check_goldens: npm is required" >&2; exit 2; }
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 18 ] || { echo "check_goldens: node 18+ is required, found $(node --version)" >&2; exit 2; }

# The pinned transformers.js, exactly as locked (integrity-checked). --ignore-scripts: the
# onnxruntime-node postinstall tries a download; the CPU binaries ship inside the package.
echo "check_goldens: installing the pinned packages (npm ci) into models/reference/node_modules"
(cd models/reference && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node models/reference/make_goldens.mjs --out "$tmp/regenerated.json"

if [ ! -f "$golden" ]; then
  echo "check_goldens: FAIL: $golden is missing; run: node models/reference/make_goldens.mjs" >&2
  exit 1
fi
if ! diff -u --label "$golden (committed)" --label "$golden (regenerated)" \
    "$golden" "$tmp/regenerated.json" > "$tmp/diff"; then
  echo "check_goldens: FAIL: regenerated transformers.js goldens differ from $golden:" >&2
  head -n 200 "$tmp/diff" >&2
  lines="$(wc -l < "$tmp/diff")"
  [ "$lines" -le 200 ] || echo "... ($lines diff lines in all)" >&2
  echo "check_goldens: if the change is intended (new inputs, new model, new pinned version)," \
    "regenerate with: node models/reference/make_goldens.mjs  and review the diff" \
    "(see models/reference/README.md)" >&2
  exit 1
fi
echo "check_goldens: OK: $golden matches transformers.js"
