// Runs an ONNX token model over token-id sequences with onnxruntime-node and writes one output's
// per-token rows as little-endian float32. The minilm-ner recipe (nlpgen/recipes/minilm_ner.py)
// calls it for the frozen MiniLM features it trains on (output last_hidden_state; Python has no
// ONNX Runtime here) and for the logits it scores models with (the grafted MiniLM graph and
// models/tiny/ner-bert-wordpiece, so both are measured the same way).
//
//   node models/generator/minilm_features.mjs --model FILE.onnx --input IN.json --output OUT.f32 \
//       --output-name last_hidden_state [--threads 1] [--batch-size 1] [--tokenizer-dir DIR] \
//       [--node-modules models/reference/node_modules]
//
// IN.json: {"sequences": [[101, ...], ...], "tokenizer_checks": [{"text": "...", "ids": [...]}, ...]}
// OUT.f32: for each sequence in order, its [length, width] rows (padding rows are not written).
// With --tokenizer-dir, transformers.js's AutoTokenizer (loaded from that directory) must give
// exactly the ids of every tokenizer check, or the script fails listing the first differences.
// The graph's int8 MatMuls quantize activations per tensor (DynamicQuantizeLinear), so a
// sequence's rows depend on what else is in its batch: --batch-size 1 (the default) gives each
// sequence's rows as if it ran alone.
// Prints one JSON line: {"rows", "width", "sequences", "seconds", "onnxruntime", "tokenizer_checks"}.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadTransformers, parseFlags, run, sameArray, toNumbers, useModelDir } from "./tjs_support.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const args = parseFlags(argv, {
    model: null, input: null, output: null, outputName: null, threads: "1", batchSize: "1", tokenizerDir: null,
    nodeModules: process.env.TRANSFORMERS_JS_NODE_MODULES ?? path.join(here, "..", "reference", "node_modules"),
  }, {
    "--model": "model", "--input": "input", "--output": "output", "--output-name": "outputName",
    "--threads": "threads", "--batch-size": "batchSize", "--tokenizer-dir": "tokenizerDir",
    "--node-modules": "nodeModules",
  });
  for (const key of ["model", "input", "output", "outputName"]) {
    if (!args[key]) throw new Error(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is required`);
  }
  return args;
}

async function checkTokenizer(tjs, tokenizerDir, checks) {
  const tokenizer = await tjs.AutoTokenizer.from_pretrained(useModelDir(tjs.env, tokenizerDir));
  const differences = [];
  for (const { text, ids } of checks) {
    const js = toNumbers(tokenizer(text).input_ids);
    if (!sameArray(js, ids)) differences.push({ text, python: ids, js });
  }
  if (differences.length) {
    for (const d of differences.slice(0, 5)) console.error(`tokenizer differs on ${JSON.stringify(d)}`);
    throw new Error(`${differences.length} of ${checks.length} tokenizer checks differ from transformers.js`);
  }
  return checks.length;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const input = JSON.parse(fs.readFileSync(args.input, "utf8"));
  const { module: tjs, ort } = await loadTransformers(args.nodeModules, { withOrt: true });
  const checked = args.tokenizerDir ? await checkTokenizer(tjs, args.tokenizerDir, input.tokenizer_checks ?? []) : 0;

  const threads = Number(args.threads);
  const session = await ort.InferenceSession.create(args.model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential",
  });
  if (!session.outputNames.includes(args.outputName)) {
    throw new Error(`${args.model} has no output ${args.outputName}; outputs: ${session.outputNames.join(", ")}`);
  }
  const sequences = input.sequences;
  const batchSize = Number(args.batchSize);
  const out = fs.openSync(args.output, "w");
  const started = process.hrtime.bigint();
  let rows = 0;
  let width = null;
  for (let b = 0; b < sequences.length; b += batchSize) {
    const batch = sequences.slice(b, b + batchSize);
    const length = Math.max(...batch.map((s) => s.length));
    const ids = new BigInt64Array(batch.length * length);
    const mask = new BigInt64Array(batch.length * length);
    batch.forEach((s, r) => s.forEach((id, t) => {
      ids[r * length + t] = BigInt(id);
      mask[r * length + t] = 1n;
    }));
    const dims = [batch.length, length];
    const all = {
      input_ids: new ort.Tensor("int64", ids, dims),
      attention_mask: new ort.Tensor("int64", mask, dims),
      token_type_ids: new ort.Tensor("int64", new BigInt64Array(batch.length * length), dims),
    };
    const feeds = Object.fromEntries(session.inputNames.map((name) => {
      if (!all[name]) throw new Error(`unexpected graph input ${name}`);
      return [name, all[name]];
    }));
    const result = await session.run(feeds, [args.outputName]);
    const tensor = result[args.outputName];
    width = tensor.dims[2];
    const data = tensor.data;
    batch.forEach((s, r) => {
      const start = r * length * width;
      const slice = data.subarray(start, start + s.length * width);
      fs.writeSync(out, Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength));
      rows += s.length;
    });
  }
  fs.closeSync(out);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const ortVersion = JSON.parse(fs.readFileSync(path.join(args.nodeModules, "onnxruntime-node", "package.json"), "utf8")).version;
  console.log(JSON.stringify({
    rows, width, sequences: sequences.length, seconds: Math.round(seconds * 10) / 10,
    onnxruntime: ortVersion, tokenizer_checks: checked,
  }));
}

run(main);
