// Checks the benchmark-size random-weight models (bench-bert-base-ner, bench-marian-en-de)
// with transformers.js and its onnxruntime-node, and prints one timing each. Not run by CI.
//
// Setup as for verify_with_transformersjs.mjs (npm install outside the repository). Run from
// the repository root after generating with --report:
//   node models/generator/verify_bench_with_transformersjs.mjs \
//       [--bert-dir models/bench/bench-bert-base-ner --bert-report /tmp/bert-report.json] \
//       [--marian-dir models/bench/bench-marian-en-de --marian-report /tmp/marian-report.json] \
//       [--node-modules models/reference/node_modules] [--runs 10]
//
// BERT: the token-classification pipeline loads the directory unmodified and labels every
// piece; the raw logits are [1, pieces, num_labels] and equal PyTorch's (report) to 1e-3;
// timing: ms per call on the report's ~128-piece text (median of --runs after 3 warm-ups).
// Marian: the translation pipeline loads the directory unmodified (encoder + merged
// decoder); model.generate (greedy, max_length of the report) gives PyTorch's ids; the split
// decoder_model + decoder_with_past_model files, driven by a plain greedy loop on
// onnxruntime-node, give the same ids; logits are [batch, 1, vocab]; timing: encoder ms and
// ms per decoder step. Random weights: outputs are nonsense, only shapes and agreement count.
// Exit status 0 when every check passes, 1 otherwise.

import fs from "node:fs";
import path from "node:path";
import { DEFAULT_NODE_MODULES, loadTransformers, median, parseFlags, toNumbers, useModelDir } from "./tjs_support.mjs";

function parseArgs(argv) {
  const args = parseFlags(argv, { nodeModules: DEFAULT_NODE_MODULES, runs: 10 }, { "--bert-dir": "bertDir",
    "--bert-report": "bertReport", "--marian-dir": "marianDir", "--marian-report": "marianReport",
    "--node-modules": "nodeModules", "--runs": "runs" });
  args.runs = Number(args.runs);
  return args;
}

const args = parseArgs(process.argv.slice(2));
const { module: T, version, ort } = await loadTransformers(args.nodeModules, { withOrt: true });
console.log(`transformers.js ${version}`);

let failures = 0;
function check(ok, message) {
  if (!ok) { failures += 1; console.log(`FAIL ${message}`); }
}
const spread = (xs) => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
const useDir = (dir) => useModelDir(T.env, dir);

async function timeIt(fn, runs) {
  for (let i = 0; i < 3; i += 1) await fn();
  const ms = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return ms;
}

async function checkBert(dir, reportPath) {
  const report = JSON.parse(fs.readFileSync(reportPath, "utf8"));
  const id = useDir(dir);
  let t = performance.now();
  const ner = await T.pipeline("token-classification", id);
  console.log(`[bert] pipeline loaded in ${(performance.now() - t).toFixed(0)} ms`);
  const numLabels = report.labels.length;
  for (const ref of report.reference) {
    const out = await ner(ref.text, { ignore_labels: [] });
    check(out.length === ref.ids.length - 2, `[bert] pipeline gave ${out.length} tokens, expected ${ref.ids.length - 2}`);
    check(out.every((o) => report.labels.includes(o.entity)), "[bert] pipeline label outside id2label");
    const inputs = ner.tokenizer(ref.text);
    check(JSON.stringify(toNumbers(inputs.input_ids)) === JSON.stringify(ref.ids), `[bert] ids differ for ${ref.text}`);
    const { logits } = await ner.model(inputs);
    check(JSON.stringify(logits.dims) === JSON.stringify([1, ref.ids.length, numLabels]),
      `[bert] logits dims ${logits.dims}`);
    const flat = Array.from(logits.data);
    const diff = Math.max(...ref.logits.flat().map((v, i) => Math.abs(v - flat[i])));
    check(diff < 1e-3, `[bert] logits differ from PyTorch by ${diff}`);
    console.log(`[bert] ${JSON.stringify(ref.text)}: ${out.length} tokens labelled, logits [${logits.dims}], ` +
      `max |ONNX - PyTorch| ${diff.toExponential(2)}`);
  }
  const text = report.timing_text;
  const pieces = ner.tokenizer(text).input_ids.dims[1];
  const pipeMs = await timeIt(() => ner(text, { ignore_labels: [] }), args.runs);
  const enc = ner.tokenizer(text);
  const modelMs = await timeIt(() => ner.model(enc), args.runs);
  const gflop = (report.flops_per_token["128"] * pieces) / 1e9;
  console.log(`[bert] ${pieces}-piece input, ${args.runs} runs after 3 warm-ups: pipeline ${median(pipeMs).toFixed(1)} ms ` +
    `(${spread(pipeMs)}), model call ${median(modelMs).toFixed(1)} ms (${spread(modelMs)}); ` +
    `~${gflop.toFixed(2)} GFLOP -> ${(gflop / (median(modelMs) / 1000)).toFixed(1)} GFLOP/s`);
}

async function checkMarian(dir, reportPath) {
  const report = JSON.parse(fs.readFileSync(reportPath, "utf8"));
  const id = useDir(dir);
  let t = performance.now();
  const translator = await T.pipeline("translation", id);
  console.log(`[marian] translation pipeline loaded in ${(performance.now() - t).toFixed(0)} ms ` +
    `(sessions: ${Object.keys(translator.model.sessions).join(", ")})`);
  const { model, tokenizer } = translator;
  const cfg = model.generation_config;
  console.log(`[marian] generation_config: num_beams ${cfg.num_beams}, max_length ${cfg.max_length}, ` +
    `bad_words_ids ${JSON.stringify(cfg.bad_words_ids)}`);
  const eos = model.config.eos_token_id;
  const pad = model.config.pad_token_id;
  const maxLength = report.reference_length;
  const gen = { max_length: maxLength, num_beams: 1, do_sample: false };

  const out = await translator(report.reference[0].source, gen);
  check(typeof out[0]?.translation_text === "string", "[marian] translation pipeline gave no text");
  console.log(`[marian] pipeline: ${JSON.stringify(report.reference[0].source)} -> ${JSON.stringify(out[0].translation_text.slice(0, 60))}`);

  // Merged layout through transformers.js's own generate.
  for (const ref of report.reference) {
    const inputs = tokenizer(ref.source);
    check(JSON.stringify(toNumbers(inputs.input_ids)) === JSON.stringify(ref.source_ids), `[marian] source ids differ: ${ref.source}`);
    const ids = toNumbers(await model.generate({ ...inputs, ...gen }));
    check(JSON.stringify(ids) === JSON.stringify(ref.output_ids),
      `[marian] merged generate ${JSON.stringify(ids)} != PyTorch ${JSON.stringify(ref.output_ids)}`);
  }
  const batch = tokenizer(report.reference.map((r) => r.source), { padding: true });
  const batched = await model.generate({ ...batch, ...gen });
  check(batched.dims[0] === report.reference.length, `[marian] batched generate dims ${batched.dims}`);
  console.log(`[marian] merged decoder (transformers.js generate): ${report.reference.length} sources, greedy ` +
    `max_length ${maxLength}, batched dims [${batched.dims}]`);

  // Split layout: a plain greedy loop on onnxruntime-node sessions of the two files.
  const onnxDir = path.join(dir, "onnx");
  const sess = {};
  for (const name of ["encoder_model", "decoder_model", "decoder_with_past_model"]) {
    sess[name] = await ort.InferenceSession.create(path.join(onnxDir, `${name}.onnx`));
  }
  const i64 = (arr, dims) => new ort.Tensor("int64", BigInt64Array.from(arr.map(BigInt)), dims);
  async function splitGreedy(sourceIds, timing) {
    const n = sourceIds.length;
    const feedsEnc = { input_ids: i64(sourceIds, [1, n]), attention_mask: i64(Array(n).fill(1), [1, n]) };
    let t0 = performance.now();
    const encOut = await sess.encoder_model.run(feedsEnc);
    if (timing) timing.encoder.push(performance.now() - t0);
    const seq = [pad];
    let past = null;
    while (seq.length < maxLength) {
      t0 = performance.now();
      let res;
      if (past === null) {
        res = await sess.decoder_model.run({ input_ids: i64([pad], [1, 1]), encoder_attention_mask: feedsEnc.attention_mask,
          encoder_hidden_states: encOut.last_hidden_state });
      } else {
        res = await sess.decoder_with_past_model.run({ input_ids: i64([seq[seq.length - 1]], [1, 1]),
          encoder_attention_mask: feedsEnc.attention_mask, ...past });
      }
      if (timing) timing.step.push(performance.now() - t0);
      const vocab = res.logits.dims[2];
      check(res.logits.dims[0] === 1 && res.logits.dims[1] === 1, `[marian] split logits dims ${res.logits.dims}`);
      const next = {};
      for (const [k, v] of Object.entries(res)) if (k.startsWith("present.")) next[k.replace("present.", "past_key_values.")] = v;
      if (past !== null) for (const [k, v] of Object.entries(past)) if (k.includes(".encoder.")) next[k] = v;
      past = next;
      let best = -1;
      let bestScore = -Infinity;
      const row = res.logits.data;
      if (seq.length === maxLength - 1) best = eos;
      else for (let j = 0; j < vocab; j += 1) if (j !== pad && row[j] > bestScore) { bestScore = row[j]; best = j; }
      seq.push(best);
      if (best === eos) break;
    }
    return seq;
  }
  const timing = { encoder: [], step: [] };
  for (const ref of report.reference) {
    const ids = await splitGreedy(ref.source_ids, null);
    check(JSON.stringify(ids) === JSON.stringify(ref.output_ids),
      `[marian] split greedy ${JSON.stringify(ids)} != PyTorch ${JSON.stringify(ref.output_ids)}`);
  }
  console.log(`[marian] split decoders (onnxruntime-node greedy loop): ${report.reference.length} sources checked`);
  const longest = report.reference[report.reference.length - 1].source_ids;
  for (let i = 0; i < 3 + args.runs; i += 1) {
    const tm = { encoder: [], step: [] };
    await splitGreedy(longest, tm);
    if (i >= 3) { timing.encoder.push(...tm.encoder); timing.step.push(...tm.step.slice(1)); }
  }
  console.log(`[marian] split layout, ${longest.length}-piece source: encoder ${median(timing.encoder).toFixed(1)} ms ` +
    `(${spread(timing.encoder)}), decoder_with_past step ${median(timing.step).toFixed(1)} ms (${spread(timing.step)}); ` +
    `~${(report.decoder_step_flops / 1e6).toFixed(0)} MFLOP/step -> ` +
    `${(report.decoder_step_flops / 1e9 / (median(timing.step) / 1000)).toFixed(1)} GFLOP/s`);
  const src = tokenizer(report.reference[report.reference.length - 1].source);
  const genMs = await timeIt(() => model.generate({ ...src, ...gen }), args.runs);
  console.log(`[marian] transformers.js generate (merged, greedy, ${maxLength - 1} new tokens): ` +
    `${median(genMs).toFixed(1)} ms (${spread(genMs)}) = ${(median(genMs) / (maxLength - 1)).toFixed(1)} ms/token incl. encoder`);
}

if (args.bertDir) await checkBert(args.bertDir, args.bertReport);
if (args.marianDir) await checkMarian(args.marianDir, args.marianReport);
console.log(failures === 0 ? "OK: every check passed" : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
