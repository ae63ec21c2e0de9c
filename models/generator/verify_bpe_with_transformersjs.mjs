// Checks the byte-level BPE models (roberta-ner-tiny, bart-tiny, bench-distilbart-cnn) with
// transformers.js (@huggingface/transformers) and its onnxruntime-node. Not run by CI (the goldens
// in models/goldens are).
//
// Run from the repository root after generating with --report (reports hold our tokenizer's ids
// on the probes of nlpgen/bpe_probes.py and the PyTorch outputs):
//   node models/generator/verify_bpe_with_transformersjs.mjs \
//       [--ner-dir models/tiny/ner-roberta-bpe --ner-report /tmp/rner-report.json] \
//       [--bart-dir models/tiny/bart-tiny-summarizer --bart-report /tmp/bart-report.json] \
//       [--bench-dir models/bench/distilbart-cnn-6-6 --bench-report /tmp/distilbart-report.json] \
//       [--node-modules models/reference/node_modules] [--runs 5]
// Without a report, a directory gets the load checks only.
//
// Tokenizer (ner, bart): for every probe, transformers.js's ids and decoded text (no clean-up) equal
// ours; probes listed as known deviations are reported, not failed.
// NER: the token-classification pipeline loads the directory unmodified; per-token labels and scores
// (none, ignore_labels []) and the raw logits equal PyTorch's (1e-3); simple aggregation finds the
// entities PyTorch found, batched and one at a time.
// BART: the summarization pipeline loads (encoder + merged decoder); source ids, and greedy ids of
// model.generate (one at a time and in one padded batch), equal PyTorch's for the demo documents and
// 50 held-out documents; the pipeline's summary_text equals the decoded ids; a plain onnxruntime-node
// greedy loop (forced bos, forced eos at max_length) over the split decoder_model +
// decoder_with_past_model and over decoder_model_merged gives the same ids.
// Bench: the pipeline loads and runs with the model's own settings (beam search, one timed call);
// greedy ids of generate and of both ORT layouts equal PyTorch's; encoder and decoder-step timings.
// Exit status 0 when every check passes, 1 otherwise.

import fs from "node:fs";
import path from "node:path";
import {
  DEFAULT_NODE_MODULES, checker, generatedRows, loadTransformers, median, parseFlags, run, sameArray, toNumbers,
  useModelDir,
} from "./tjs_support.mjs";

const args = parseFlags(process.argv.slice(2), { nodeModules: DEFAULT_NODE_MODULES, runs: 5 }, {
  "--ner-dir": "nerDir", "--ner-report": "nerReport", "--bart-dir": "bartDir", "--bart-report": "bartReport",
  "--bench-dir": "benchDir", "--bench-report": "benchReport", "--node-modules": "nodeModules", "--runs": "runs",
});
args.runs = Number(args.runs);
const { check, finish } = checker();
const readReport = (file) => (file ? JSON.parse(fs.readFileSync(file, "utf8")) : null);

function checkProbes(tag, tokenizer, probes) {
  let same = 0;
  const known = [];
  for (const p of probes) {
    const enc = tokenizer(p.text, p.pair !== undefined ? { text_pair: p.pair } : {});
    const ids = toNumbers(enc.input_ids);
    const decoded = tokenizer.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
    const ok = sameArray(ids, p.ids) && decoded === p.decoded;
    if (p.kind === "known-deviation") {
      known.push(`${JSON.stringify(p.text)}: ${ok ? "same here" : "differs"}`);
      continue;
    }
    if (check(ok, `[${tag}] probe ${JSON.stringify(p.text)}: ids ${JSON.stringify(ids)} vs ${JSON.stringify(p.ids)}, `
      + `decoded ${JSON.stringify(decoded)} vs ${JSON.stringify(p.decoded)}`)) same += 1;
  }
  console.log(`[${tag}] tokenizer: ${same}/${probes.length - known.length} probes give our ids and text; `
    + `known deviations: ${known.join("; ") || "none"}`);
}

async function checkNer(T, dir, report) {
  const id = useModelDir(T.env, dir);
  const ner = await T.pipeline("token-classification", id, { dtype: "fp32" });
  check(ner.model.config.model_type === "roberta", `[ner] model_type ${ner.model.config.model_type}`);
  check(!ner.model.sessions.model.inputNames.includes("token_type_ids"), "[ner] graph takes token_type_ids");
  console.log(`[ner] pipeline loaded; graph inputs ${ner.model.sessions.model.inputNames.join(", ")}`);
  if (!report) return;
  checkProbes("ner", ner.tokenizer, report.probes);
  const id2label = ner.model.config.id2label;
  for (const d of report.demo) {
    const inputs = ner.tokenizer(d.text);
    check(sameArray(toNumbers(inputs.input_ids), d.ids), `[ner] ids of ${d.text}`);
    const { logits } = await ner.model(inputs);
    const flat = Array.from(logits.data);
    const diff = Math.max(...d.logits.flat().map((v, i) => Math.abs(v - flat[i])));
    check(diff < 1e-3, `[ner] logits of ${d.text} differ from PyTorch by ${diff}`);
    const all = await ner(d.text, { ignore_labels: [] });
    check(all.length === d.tokens.length, `[ner] ${all.length} tokens labelled, PyTorch ${d.tokens.length}`);
    all.forEach((t, k) => {
      const want = d.tokens[k];
      check(want && t.entity === want.label && Math.abs(t.score - want.score) < 1e-3,
        `[ner] token ${k} of ${d.text}: ${t.entity} ${t.score} vs ${JSON.stringify(want)}`);
    });
    const simple = await ner(d.text, { aggregation_strategy: "simple" });
    const got = simple.map((g) => `${g.entity_group}:${g.word.trim()}`);
    const want = d.entities.map((e) => `${e.type}:${e.text}`);
    check(sameArray(got, want), `[ner] entities of ${d.text}: ${got} vs PyTorch ${want}`);
    console.log(`[ner] ${JSON.stringify(d.text)}: ${got.join(", ")}; max |ONNX - PyTorch| ${diff.toExponential(2)}`);
    check(Object.values(id2label).includes("B-PER"), "[ner] id2label");
  }
  const texts = report.demo.map((d) => d.text);
  const batched = await ner(texts, { aggregation_strategy: "simple" });
  for (let i = 0; i < texts.length; i += 1) {
    const single = await ner(texts[i], { aggregation_strategy: "simple" });
    check(JSON.stringify(single.map((g) => [g.entity_group, g.word])) === JSON.stringify(batched[i].map((g) => [g.entity_group, g.word])),
      `[ner] batched differs from single for ${texts[i]}`);
  }
}

/** Greedy decoding on plain onnxruntime-node sessions, "split" or "merged" layout, BART tokens. */
async function ortGreedy(ort, sessions, config, sourceIds, maxLength) {
  const i64 = (arr, dims) => new ort.Tensor("int64", BigInt64Array.from(arr.map(BigInt)), dims);
  const n = sourceIds.length;
  const mask = i64(Array(n).fill(1), [1, n]);
  const { last_hidden_state: hidden } = await sessions.encoder.run({ input_ids: i64(sourceIds, [1, n]), attention_mask: mask });
  const start = config.decoder_start_token_id;
  const bos = config.forced_bos_token_id;
  const eos = config.forced_eos_token_id;
  const layers = config.decoder_layers;
  const headDim = config.d_model / config.decoder_attention_heads;
  const seq = [start];
  let past = null;
  while (seq.length < maxLength) {
    const step = i64([seq.at(-1)], [1, 1]);
    let res;
    if (sessions.merged) {
      const feeds = { input_ids: step, encoder_attention_mask: mask, encoder_hidden_states: hidden,
        use_cache_branch: new ort.Tensor("bool", [past !== null], [1]) };
      for (let i = 0; i < layers; i += 1) {
        for (const kind of ["decoder", "encoder"]) {
          for (const kv of ["key", "value"]) {
            const name = `past_key_values.${i}.${kind}.${kv}`;
            feeds[name] = past ? past[name]
              : new ort.Tensor("float32", new Float32Array(0), [1, config.decoder_attention_heads, 0, headDim]);
          }
        }
      }
      res = await sessions.merged.run(feeds);
    } else if (past === null) {
      res = await sessions.decoder.run({ input_ids: step, encoder_attention_mask: mask, encoder_hidden_states: hidden });
    } else {
      res = await sessions.withPast.run({ input_ids: step, encoder_attention_mask: mask, ...past });
    }
    const next = {};
    for (const [k, v] of Object.entries(res)) if (k.startsWith("present.")) next[k.replace("present.", "past_key_values.")] = v;
    if (past !== null && !sessions.merged) for (const [k, v] of Object.entries(past)) if (k.includes(".encoder.")) next[k] = v;
    past = next;
    const row = res.logits.data;
    const vocab = res.logits.dims[2];
    let best = 0;
    if (seq.length === 1 && bos !== null && bos !== undefined) best = bos;
    else if (seq.length === maxLength - 1) best = eos;
    else for (let j = 1; j < vocab; j += 1) if (row[j] > row[best]) best = j;
    seq.push(best);
    if (best === config.eos_token_id) break;
  }
  return seq;
}

async function ortSessions(ort, dir) {
  const open = (f) => ort.InferenceSession.create(path.join(dir, "onnx", `${f}.onnx`),
    { intraOpNumThreads: 1, interOpNumThreads: 1 });
  return { encoder: await open("encoder_model"), decoder: await open("decoder_model"),
    withPast: await open("decoder_with_past_model"), mergedSession: await open("decoder_model_merged") };
}

async function checkBart(T, ort, dir, report) {
  const id = useModelDir(T.env, dir);
  const summarizer = await T.pipeline("summarization", id, { dtype: "fp32" });
  const { model, tokenizer } = summarizer;
  check(Boolean(model.sessions.decoder_model_merged), "[bart] merged decoder not loaded");
  const cfg = model.generation_config;
  console.log(`[bart] summarization pipeline loaded (sessions ${Object.keys(model.sessions).join(", ")}); generation: `
    + `num_beams ${cfg.num_beams}, max_length ${cfg.max_length}, decoder_start ${model.config.decoder_start_token_id}, `
    + `forced_bos ${cfg.forced_bos_token_id}, forced_eos ${cfg.forced_eos_token_id}`);
  if (!report) return;
  checkProbes("bart", tokenizer, report.probes);
  const eos = model.config.eos_token_id;
  const cases = [...report.demo.map((d) => ({ document: d.document, source_ids: d.source_ids, output_ids: d.output_ids })),
    ...report.heldout_sample];
  const single = [];
  for (const c of cases) {
    const inputs = tokenizer([c.document]);
    check(sameArray(toNumbers(inputs.input_ids), c.source_ids), `[bart] source ids of ${c.document}`);
    const ids = generatedRows(await model.generate({ ...inputs }), eos)[0];
    single.push(ids);
    check(sameArray(ids, c.output_ids), `[bart] generate ${JSON.stringify(ids)} != PyTorch ${JSON.stringify(c.output_ids)}`);
  }
  const batched = generatedRows(await model.generate({ ...tokenizer(cases.map((c) => c.document), { padding: true }) }), eos);
  cases.forEach((c, i) => check(sameArray(batched[i], single[i]), `[bart] batched row ${i} differs from single`));
  for (const c of cases.slice(0, 8)) {
    const [{ summary_text: text }] = await summarizer(c.document, { max_new_tokens: null });
    check(text === tokenizer.decode(c.output_ids, { skip_special_tokens: true }),
      `[bart] pipeline text ${JSON.stringify(text)} for ${c.document}`);
  }
  console.log(`[bart] transformers.js generate (merged): ${cases.length} documents equal PyTorch, one by one and batched`);
  const s = await ortSessions(ort, dir);
  const config = { ...model.config, forced_bos_token_id: cfg.forced_bos_token_id, forced_eos_token_id: cfg.forced_eos_token_id };
  for (const layout of ["split", "merged"]) {
    const sessions = layout === "split" ? s : { encoder: s.encoder, merged: s.mergedSession };
    let same = 0;
    for (const c of cases) {
      const ids = await ortGreedy(ort, sessions, config, c.source_ids, cfg.max_length);
      if (check(sameArray(ids, c.output_ids), `[bart] ${layout} ORT greedy ${JSON.stringify(ids)} != ${JSON.stringify(c.output_ids)}`)) same += 1;
    }
    console.log(`[bart] onnxruntime-node greedy loop, ${layout} layout: ${same}/${cases.length} equal PyTorch`);
  }
}

async function checkBench(T, ort, dir, report) {
  const id = useModelDir(T.env, dir);
  let t = performance.now();
  const summarizer = await T.pipeline("summarization", id, { dtype: "fp32" });
  const { model, tokenizer } = summarizer;
  const cfg = model.generation_config;
  console.log(`[bench] pipeline loaded in ${(performance.now() - t).toFixed(0)} ms; generation_config: num_beams ${cfg.num_beams}, `
    + `length_penalty ${cfg.length_penalty}, min_length ${cfg.min_length}, max_length ${cfg.max_length}, `
    + `no_repeat_ngram_size ${cfg.no_repeat_ngram_size}, early_stopping ${cfg.early_stopping}; prefix ${JSON.stringify(model.config.prefix)}`);
  if (!report) return;
  const eos = model.config.eos_token_id;
  const gen = { max_length: report.reference_length, num_beams: 1, min_length: 0, no_repeat_ngram_size: 0 };
  for (const r of report.reference) {
    const inputs = tokenizer([r.source]);
    check(sameArray(toNumbers(inputs.input_ids), r.source_ids), `[bench] source ids of ${r.source}`);
    const ids = generatedRows(await model.generate({ ...inputs, ...gen }), eos)[0];
    check(sameArray(ids, r.output_ids), `[bench] generate ${JSON.stringify(ids)} != PyTorch ${JSON.stringify(r.output_ids)}`);
  }
  const s = await ortSessions(ort, dir);
  const config = { ...model.config, forced_bos_token_id: cfg.forced_bos_token_id, forced_eos_token_id: cfg.forced_eos_token_id };
  for (const layout of ["split", "merged"]) {
    const sessions = layout === "split" ? s : { encoder: s.encoder, merged: s.mergedSession };
    for (const r of report.reference) {
      const ids = await ortGreedy(ort, sessions, config, r.source_ids, report.reference_length);
      check(sameArray(ids, r.output_ids), `[bench] ${layout} ORT greedy ${JSON.stringify(ids)} != ${JSON.stringify(r.output_ids)}`);
    }
  }
  console.log(`[bench] greedy (max_length ${report.reference_length}): transformers.js generate and ORT split/merged loops `
    + `checked against PyTorch on ${report.reference.length} documents`);
  // Timings (sessions on one thread each, as above; transformers.js's own sessions use its defaults).
  const i64 = (arr, dims) => new ort.Tensor("int64", BigInt64Array.from(arr.map(BigInt)), dims);
  const timingIds = toNumbers(tokenizer(report.timing_text).input_ids);
  const n = timingIds.length;
  const feeds = { input_ids: i64(timingIds, [1, n]), attention_mask: i64(Array(n).fill(1), [1, n]) };
  const encMs = [];
  let hidden;
  for (let i = 0; i < 1 + args.runs; i += 1) {
    t = performance.now();
    hidden = (await s.encoder.run(feeds)).last_hidden_state;
    if (i > 0) encMs.push(performance.now() - t);
  }
  let res = await s.decoder.run({ input_ids: i64([2], [1, 1]), encoder_attention_mask: feeds.attention_mask,
    encoder_hidden_states: hidden });
  const stepMs = [];
  let past = {};
  for (const [k, v] of Object.entries(res)) if (k.startsWith("present.")) past[k.replace("present.", "past_key_values.")] = v;
  for (let i = 0; i < 1 + 2 * args.runs; i += 1) {
    t = performance.now();
    res = await s.withPast.run({ input_ids: i64([0], [1, 1]), encoder_attention_mask: feeds.attention_mask, ...past });
    if (i > 0) stepMs.push(performance.now() - t);
    const next = { ...past };
    for (const [k, v] of Object.entries(res)) if (k.startsWith("present.")) next[k.replace("present.", "past_key_values.")] = v;
    past = next;
  }
  console.log(`[bench] one thread, ${n}-token document: encoder ${median(encMs).toFixed(0)} ms `
    + `(${(report.encoder_flops_per_token * n / 1e9 / (median(encMs) / 1000)).toFixed(1)} GFLOP/s); decoder_with_past step `
    + `${median(stepMs).toFixed(1)} ms (${(report.decoder_step_flops / 1e9 / (median(stepMs) / 1000)).toFixed(1)} GFLOP/s)`);
  const doc = report.reference[0].source;
  t = performance.now();
  const [{ summary_text: text }] = await summarizer(doc, { max_new_tokens: null });
  console.log(`[bench] pipeline with the model's settings (beam search) on a ${report.reference[0].source_ids.length}-token `
    + `document: ${(performance.now() - t).toFixed(0)} ms (${text.length} characters of nonsense)`);
}

run(async () => {
  const { module: T, version, ort } = await loadTransformers(args.nodeModules, { withOrt: true });
  console.log(`transformers.js ${version}`);
  if (args.nerDir) await checkNer(T, args.nerDir, readReport(args.nerReport));
  if (args.bartDir) await checkBart(T, ort, args.bartDir, readReport(args.bartReport));
  if (args.benchDir) await checkBench(T, ort, args.benchDir, readReport(args.benchReport));
  finish();
});
